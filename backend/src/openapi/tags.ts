/** The API reference's sections, in reading order: an IVR integrator's first, then the admin's. */
export const TAGS = [
  {
    name: 'Domain API',
    description: "The product's host lookup, answered with c2m's host for the services it serves.",
  },
  { name: 'OAuth', description: 'Bearer tokens for account credentials (client credentials).' },
  { name: 'IVR deflection', description: 'Eligibility, then invite: the IVR offers a channel.' },
  { name: 'Reporting', description: 'The funnel, per-call transactions and exports.' },
  { name: 'Conversations', description: 'Read, answer and close conversations consumers open.' },
  { name: 'Account setup', description: 'Messaging providers, the conversation sink, devices.' },
  { name: 'Event webhooks', description: 'Signed POSTs of transaction and conversation events.' },
  { name: 'Sandbox phone', description: "What a consumer's handset would do, for the sandbox." },
  { name: 'Sessions', description: "Sessions for the brand's users (admin API, widget)." },
  { name: 'Admin: handoffs', description: 'The API handoffs an IVR names in eligibility.' },
  { name: 'Admin: templates', description: 'WhatsApp message templates and their review.' },
  { name: 'Admin: settings', description: 'Account-wide channels, routing, texts and limits.' },
  {
    name: 'Admin: senders',
    description:
      "The account's outbound numbers and WhatsApp Business Account ids, for the handoff editor.",
  },
  { name: 'Admin: credentials', description: 'The API keys page: IVR and reporting credentials.' },
  {
    name: 'Admin: widget keys',
    description:
      'Widget installation keys, from which the Agent Workspace page mints its sessions.',
  },
  { name: 'Admin: reports', description: "The admin element's reporting dashboard." },
  { name: 'Admin: providers', description: 'Messaging providers per channel; secrets write-only.' },
  { name: 'Admin: users', description: "The people who sign in on c2m's own page." },
  { name: 'Widget', description: "The agent widget's list of outbound messages." },
  { name: 'Provider webhooks', description: 'Where messaging providers report; signed by them.' },
  { name: 'Operations', description: 'Health, readiness, metrics and this reference.' },
] as const;
