import { LocalOrg } from '../../../dataverse/src/local-org';
import { serveLocalOrg } from '../../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { describeContract } from './contract-suite';

describeContract('HTTP face through dynamics-web-api (Node adapter)', async () => {
  const org = new LocalOrg();
  const server = await serveLocalOrg(org);
  const client = new NodeDataverseClient({ url: server.url, retry: false });
  return {
    client,
    org,
    close: async () => {
      await server.close();
      await org.close();
    },
  };
});
