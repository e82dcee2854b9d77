import { LocalOrg } from '../../../dataverse/src/local-org';
import { describeContract } from './contract-suite';

describeContract('in-process LocalOrg', async () => {
  const org = new LocalOrg();
  return { client: org, org, close: () => org.close() };
});
