import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type DangerReason, screenTicket } from '../../../src/domain/safetyScreen';

// Phrasings of their own, not copied from data/msp-eval.csv: the screen should hold on wording
// neither the eval set nor the training corpus has.
const critical: [string, DangerReason][] = [
  [
    'All the PDFs on the shared drive now end with .crypted and there is a how-to-pay note',
    'security incident',
  ],
  [
    'A red screen says my documents were encrypted and I have 48 hours to pay. My password still works.',
    'security incident',
  ],
  ['Reset my password please, I opened a Word attachment and pressed Enable Content', 'security incident'],
  ['I clicked the link in a text from "Royal Mail" and entered my Office 365 login', 'security incident'],
  [
    'Got an email that looked like it came from the bank, I filled in my details on the page',
    'security incident',
  ],
  ['Our clients say they are getting invoices from my address that I never sent', 'security incident'],
  ['There is a forwarding rule to a gmail address that I did not create', 'security incident'],
  ['Authenticator keeps asking me to approve, I am not signing in anywhere', 'security incident'],
  ['I approved an MFA request by accident, I was not logging in', 'security incident'],
  ['Alert: sign-in from an unknown location (Lagos). That was not me.', 'security incident'],
  [
    'Our director asked me by email to buy Google Play cards for a client, is that normal?',
    'security incident',
  ],
  ['New bank details arrived from our landlord by email, please check before we pay', 'security incident'],
  ['A caller from "BT support" asked me to install AnyDesk and I let him connect', 'security incident'],
  ['Nobody at the Croydon office can get online', 'site-wide outage'],
  ['The entire building lost internet after the power cut', 'site-wide outage'],
  ['All our phone lines are dead, customers hear a busy tone', 'site-wide outage'],
  ['Our company website is down, it says 503 service unavailable', 'site-wide outage'],
  ['SQL server crashed overnight and the practice system will not open for anyone', 'site-wide outage'],
  ['The domain controller is offline', 'site-wide outage'],
];
for (const [text, reason] of critical) {
  it(`P1, never automated: ${text}`, () => {
    assert.deepEqual(screenTicket(text), { reason, critical: true });
  });
}

const dangerous: [string, DangerReason][] = [
  ['Forwarding a suspicious email I got this morning, I did not click anything', 'security incident'],
  ['Sophos detected a threat on my laptop and quarantined a file', 'security incident'],
  ['The server says the C: drive is running out of space', 'server or infrastructure'],
  ['The file server share is very slow today', 'server or infrastructure'],
  ['Can you open a port on the firewall for our new booking system?', 'server or infrastructure'],
  ['The network switch in the comms room is flashing amber', 'server or infrastructure'],
  ['The UPS is beeping and showing a battery fault', 'server or infrastructure'],
  ['I overwrote the Q3 folder with old files, can you restore from last night?', 'data loss or backup'],
  ['The backup email says 3 jobs failed', 'data loss or backup'],
  ['My iPad was stolen from the car', 'lost or stolen device'],
  ['I have lost my work mobile on the bus', 'lost or stolen device'],
  ['The big printer is not working for everyone on the second floor', 'affects everyone'],
];
for (const [text, reason] of dangerous) {
  it(`never automated (${reason}): ${text}`, () => {
    assert.deepEqual(screenTicket(text), { reason, critical: false });
  });
}

// Tickets automation should take, though they name a server, greet everyone or carry a footer.
const ordinary = [
  'Windows VPN error 809: the network connection between your computer and the VPN server could not be established',
  'At home on the VPN the S: drive (file server) will not map',
  'Over the VPN the file server is very slow from home',
  'Outlook says it cannot connect to the mail server, webmail is fine',
  'The scanner shows "SMTP server authentication failed" when I scan to email',
  'Remote desktop to the terminal server from home says my credentials did not work',
  'Cannot add the printer from the print server after my desk move, error 0x0000011b',
  'FortiClient fails on my home router but works on my phone hotspot',
  'When I switch on my laptop the second screen stays black',
  'Hi everyone, I am locked out of my account, could someone unlock it?',
  'Nobody told me my password would expire, now I cannot log in',
  'My desk phone shows no service, everyone else is fine',
  'Account locked, contact your administrator',
  'Word says Unlicensed Product at the top',
  'Teams says: ask your admin to enable Microsoft Teams',
  'I changed phones and need to set up the Authenticator again',
  'Excel crashes when I open the stock file.\n\nThis email has been scanned for viruses by our provider. It is confidential.',
  'I entered my password on the login page and it keeps saying wrong password',
  'I clicked the link to the HR site on the intranet and it says access denied',
  'My laptop is slow since the update, Outlook takes minutes to open',
  'Please could you install Visio, my manager approved it',
];
for (const text of ordinary) {
  it(`leaves to the model: ${text}`, () => {
    assert.equal(screenTicket(text), undefined);
  });
}

describe('screenTicket', () => {
  it('is P1 for an attack in progress whatever else the ticket asks for', () => {
    const locked = 'My files end in .locked and a note asks for bitcoin';
    assert.equal(screenTicket(locked)?.critical, true);
    assert.equal(
      screenTicket(`${locked}. My password still works, can you reset it anyway?`)?.critical,
      true,
    );
    assert.equal(screenTicket(`The printer jammed. ${locked}.`)?.critical, true);
  });
});
