/**
 * A chunk that waits on other work (month-end driving a run another worker holds) is queued with a
 * delay: the message's visibility timeout, which Azure Storage documents for Put Message ("Specifies
 * the new visibility timeout value, in seconds, relative to server time. The new value must be
 * larger than or equal to 0, and cannot be larger than 7 days", learn.microsoft.com/rest/api/
 * storageservices/put-message). Azurite enforces it as Azure does; the message format refuses a
 * delay outside that range.
 */
import { AzureJobQueue, parseJobMessage } from '../../plugins/src';
import { startAzurite, type RunningAzurite } from '../../scripts/azurite';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});

const ID = '0b9a3c0e-0000-4000-8000-000000000777';

test('a delayed message stays invisible for its delay, then arrives', async () => {
  const queue = new AzureJobQueue(azurite.connectionString, `delay-${Date.now()}`);
  await queue.send({ v: 1, job: 'monthendrun', id: ID, chunk: 3, correlationId: 'c', delaySeconds: 2 });
  expect((await queue.queue.receiveMessages()).receivedMessageItems).toHaveLength(0);
  await new Promise((r) => setTimeout(r, 2500));
  const [message] = (await queue.queue.receiveMessages()).receivedMessageItems;
  expect(message).toBeDefined();
  expect(parseJobMessage(Buffer.from(message!.messageText, 'base64').toString('utf8'))).toEqual({
    v: 1,
    job: 'monthendrun',
    id: ID,
    chunk: 3,
    correlationId: 'c',
    delaySeconds: 2,
  });
}, 30_000);

test.each([-1, 1.5, 7 * 86_400 + 1, '10'])('a delay of %p seconds is refused', (delaySeconds) => {
  expect(() => parseJobMessage(JSON.stringify({ v: 1, job: 'monthendrun', id: ID, chunk: 0, delaySeconds }))).toThrow(
    /delaySeconds must be whole seconds from 0 to 7 days/,
  );
});
