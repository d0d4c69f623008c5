// Reading the consumer out of the Agent Workspace public model, in each documented shape.
import '../test-helpers/cloneable-errors.js';
import { expect } from '@open-wc/testing';
import { subjectOf, toE164 } from './consumer-identity.js';

describe('consumer identity from the workspace model', () => {
  it('reads the documented SDE shapes: personalInfo.contactInfo and customerDetails', () => {
    const sde = {
      customerDetails: [{ serverTimeStamp: 1, customerDetails: { customerId: 'c-1' } }],
      personalInfo: [
        { personalInfo: { contactInfo: [{ email: 'a@example.com', phone: '+44 20 7946 0018' }] } },
      ],
    };
    expect(subjectOf({ sde, conversationId: 'conv-1' })).to.deep.equal({
      conversationId: 'conv-1',
      consumerPhoneNumber: '+442079460018',
      consumerId: 'c-1',
    });
  });

  it('reads engagement-attribute events: personal contacts and ctmrinfo', () => {
    const sde = [
      { type: 'ctmrinfo', info: { customerId: 'old' } },
      { type: 'personal', personal: { contacts: [{ phone: '+14155550100' }] } },
      { type: 'ctmrinfo', info: { customerId: 'latest' } },
    ];
    expect(subjectOf({ sde })).to.include({
      consumerPhoneNumber: '+14155550100',
      consumerId: 'latest',
    });
  });

  it('prefers the SDE phone to the pre-chat survey, and the SDE id to the visitor id', () => {
    const model = {
      sde: { personal: { contacts: [{ phone: '+14155550100' }] }, ctmrinfo: { customerId: 'c' } },
      preChatPhone: { value: '+14155550199' },
      visitorInfo: { visitorId: 'v' },
    };
    expect(subjectOf(model)).to.include({ consumerPhoneNumber: '+14155550100', consumerId: 'c' });
    expect(subjectOf({ ...model, sde: null })).to.include({
      consumerPhoneNumber: '+14155550199',
      consumerId: 'v',
    });
  });

  it('leaves out what c2m would refuse: local numbers, empty or overlong ids', () => {
    expect(toE164('0207 946 0018')).to.equal(undefined);
    expect(toE164(14155550100)).to.equal(undefined);
    expect(
      subjectOf({
        conversationId: 'x'.repeat(65),
        preChatPhone: { value: '4155550100' },
        visitorInfo: { visitorId: '  ' },
      }),
    ).to.deep.equal({
      conversationId: undefined,
      consumerPhoneNumber: undefined,
      consumerId: undefined,
    });
  });
});
