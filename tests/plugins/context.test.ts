import { parseRemoteExecutionContext, toReadShape, ContextError } from '../../plugins/src';
import { fillTemplate, fixture } from './seed';

describe('RemoteExecutionContext parsing', () => {
  test("Microsoft's documented example (Update of contact, PostOperation, async)", () => {
    const context = parseRemoteExecutionContext(fixture('ms-docs-contact-update-async.json'));
    expect(context).toMatchObject({
      messageName: 'Update',
      stage: 'PostOperation',
      stageNumber: 40,
      mode: 'async',
      primaryEntityName: 'contact',
      primaryEntityId: '6d81597f-0f9f-e711-8122-000d3aa2331c',
      depth: 1,
      correlationId: 'b374239d-4233-41a9-8b17-a86cb4f737b5',
      initiatingUserId: '75c2dd85-e89e-e711-8122-000d3aa2331c',
      operationId: '4af10637-4ea2-e711-8122-000d3aa2331c',
      requestId: undefined,
      owningExtensionId: '75417616-4ea2-e711-8122-000d3aa2331c',
    });
    expect(context.target?.attributes['firstname']).toBe('James');
    expect(context.target?.attributes['modifiedon']).toBe('2017-09-26T00:04:07Z');
    expect(context.target?.attributes['modifiedby']).toEqual({
      kind: 'EntityReference',
      id: '75c2dd85-e89e-e711-8122-000d3aa2331c',
      logicalName: 'systemuser',
      name: null,
    });
    expect(Object.keys(context.postEntityImages)).toEqual(['AsynchronousStepPrimaryName']);
    expect(context.postEntityImages['AsynchronousStepPrimaryName']?.attributes['fullname']).toBe('James Glynn (sample)');
  });

  test('typed values of a subscription step become the read shape (OptionSetValue, Money, EntityReference, date-only)', () => {
    const text = fillTemplate(fixture('subscription-update-sync.template.json'), {
      correlationId: '11111111-1111-1111-1111-111111111111',
      depth: 1,
      newQuantity: 13,
      oldQuantity: 10,
      effectiveDateMs: Date.UTC(2026, 10, 15),
      subscriptionId: '22222222-2222-2222-2222-222222222222',
      messageName: 'Update',
      operationId: '33333333-3333-3333-3333-333333333333',
      offerId: '44444444-4444-4444-4444-444444444444',
      requestId: '55555555-5555-5555-5555-555555555555',
      stage: 40,
      mode: 1,
      version: 7,
    });
    const context = parseRemoteExecutionContext(text);
    expect(context.mode).toBe('async');
    expect(toReadShape(context.postEntityImages['PostImage']!)['versionnumber']).toBe(7);
    const post = toReadShape(context.postEntityImages['PostImage']!);
    expect(post).toMatchObject({
      cspb_quantity: 13,
      cspb_status: 100000000,
      cspb_vendorunitcost: 12.5,
      cspb_customerunitprice: 15,
      _cspb_offerid_value: '44444444-4444-4444-4444-444444444444',
      cspb_changeeffectivedate: '2026-11-15',
    });
    expect(toReadShape(context.preEntityImages['PreImage']!)['cspb_quantity']).toBe(10);
  });

  test.each([
    ['not JSON', '{"MessageName":', /not JSON/],
    ['an array', '[]', /JSON object/],
    [
      'no MessageName',
      '{"PrimaryEntityName":"x","Stage":40,"Mode":1,"Depth":1,"CorrelationId":"b374239d-4233-41a9-8b17-a86cb4f737b5"}',
      /MessageName is missing/,
    ],
    [
      'a bad stage',
      '{"MessageName":"Create","PrimaryEntityName":"x","Stage":35,"Mode":1,"Depth":1,"CorrelationId":"b374239d-4233-41a9-8b17-a86cb4f737b5"}',
      /Stage must be/,
    ],
    [
      'a bad reference',
      '{"MessageName":"Create","PrimaryEntityName":"x","Stage":40,"Mode":1,"Depth":1,"CorrelationId":"b374239d-4233-41a9-8b17-a86cb4f737b5","InputParameters":[{"key":"Target","value":{"__type":"Entity:x","LogicalName":"x","Attributes":[{"key":"a","value":{"__type":"EntityReference:x","Id":"nope"}}]}}]}',
      /Attributes\.a\.Id must be a GUID/,
    ],
  ])('refuses %s with the reason', (_, text, reason) => {
    expect(() => parseRemoteExecutionContext(text)).toThrow(ContextError);
    expect(() => parseRemoteExecutionContext(text)).toThrow(reason);
  });
});
