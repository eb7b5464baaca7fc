/**
 * Writes data/msp-tickets.csv: a labelled corpus of MSP tier-1 tickets for the built-in model.
 * Each template is a family of phrasings written by hand; slots, greetings, signatures, typos and
 * length vary per row. The test split holds out whole families (about one in five per category),
 * so test tickets are worded in ways the model never saw.
 *
 *   npm run build && node dist/tools/generateCorpus.js
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { seededRandom } from '../src/domain/model/textClassifier';

type Cat =
  | 'password_reset'
  | 'software_access'
  | 'vpn_remote_access'
  | 'printer_peripheral'
  | 'software_error'
  | 'engineering';
interface Template {
  id: string;
  category: Cat;
  dangerous?: boolean;
  subjects: string[];
  bodies: string[];
}

const SLOTS: Record<string, string[]> = {
  app: [
    'Outlook',
    'Teams',
    'Excel',
    'Word',
    'OneDrive',
    'SharePoint',
    'Adobe Acrobat',
    'QuickBooks',
    'Sage',
    'Dentrix',
    'Zoom',
    'Salesforce',
    'Xero',
    'AutoCAD',
    'Chrome',
  ],
  paid: [
    'Adobe Acrobat Pro',
    'Visio',
    'Microsoft Project',
    'Power BI Pro',
    'AutoCAD LT',
    'a Zoom licence',
    'Adobe Creative Cloud',
    'a Microsoft 365 E3 licence',
  ],
  share: [
    'the Finance share',
    'the HR folder',
    'the Projects SharePoint site',
    'the shared mailbox accounts@',
    'the Sales Teams channel',
    'the Marketing drive',
    'the scans folder',
  ],
  vpn: [
    'FortiClient',
    'GlobalProtect',
    'AnyConnect',
    'the VPN',
    'WireGuard',
    'the company VPN',
    'Sophos Connect',
  ],
  printer: [
    'the HP printer',
    'the Brother printer',
    'the reception printer',
    'the Xerox copier',
    'the label printer',
    'the printer on the 2nd floor',
    'the Canon MFP',
  ],
  device: [
    'monitor',
    'second screen',
    'keyboard',
    'mouse',
    'headset',
    'docking station',
    'webcam',
    'scanner',
    'USB-C dock',
  ],
  site: ['Main Street', 'the Riverside office', 'head office', 'the warehouse', 'site 2'],
  when: [
    'this morning',
    'since yesterday',
    'since the update',
    'since Monday',
    'after lunch',
    'all day',
    'again today',
    'since I got back from holiday',
  ],
  err: [
    '0x80070005',
    'error 1001',
    'runtime error',
    '"not responding"',
    'error 0x8004010F',
    'a blank white window',
    '"Something went wrong"',
    'error code 53003',
  ],
  server: [
    'the file server',
    'the SQL server',
    'our domain controller',
    'the terminal server',
    'the Exchange server',
    'the Hyper-V host',
    'the NAS',
  ],
};

const GREETINGS = ['', '', 'Hi,', 'Hello,', 'Hi team,', 'Morning,', 'Hi IT,', 'Good afternoon,'];
const SIGNOFFS = [
  '',
  '',
  'Thanks',
  'Thanks, Jo',
  'Cheers\nSam',
  'Regards,\nPriya Patel\nAccounts',
  'Thank you!',
  'Sent from my iPhone',
];

const T = (id: string, category: Cat, subjects: string[], bodies: string[], dangerous = false): Template => ({
  id,
  category,
  subjects,
  bodies,
  dangerous,
});

// prettier-ignore
const TEMPLATES: Template[] = [
  // ---- password_reset: lockouts, resets, MFA re-registration ----
  T('pw-locked', 'password_reset', ['Locked out', 'Account locked', 'locked out of my account', 'Cant log in - locked'], ['I am locked out of my account {when}.', 'My account says it is locked. I think I typed my password wrong too many times.', 'Windows says the referenced account is currently locked out.']),
  T('pw-forgot', 'password_reset', ['Forgot password', 'Password reset please', 'need a password reset', 'Reset my password'], ['I forgot my password over the weekend, can you reset it?', 'Please reset my password, I cannot remember it.', 'I changed my password last week and now I forgot it.']),
  T('pw-expired', 'password_reset', ['Password expired', 'Password has expired', 'expired password'], ['It says my password has expired and I need to change it but it will not let me.', 'Got a message my password expired {when}, now I cannot sign in to {app}.', 'Password expired while I was on leave.']),
  T('pw-mfa-phone', 'password_reset', ['New phone - MFA', 'Authenticator on new phone', 'MFA not working new phone', 'Lost my phone MFA codes'], ['I got a new phone and the Microsoft Authenticator app is not set up on it, so I cannot approve sign-ins.', 'My old phone broke and now I cannot do the two factor codes.', 'I need to re-register MFA, the authenticator app got deleted.']),
  T('pw-mfa-prompt', 'password_reset', ['MFA prompt not arriving', 'Not getting the sign-in approval', 'No MFA notification'], ['I am not getting the approve sign-in notification on my phone {when}.', 'The MFA text message never arrives so I cannot log in to {app}.']),
  T('pw-wrong', 'password_reset', ['Password not accepted', 'It says my password is wrong', 'Incorrect password'], ['{app} keeps saying my password is incorrect but I know it is right.', 'My password is not being accepted on the laptop {when}.', 'Says wrong username or password even though I only just changed it.']),
  T('pw-change', 'password_reset', ['Change password', 'How do I change my password', 'Want to change my password'], ['How do I change my password? I think someone saw me type it.', 'I would like to change my password, the current one is too hard to remember.']),
  T('pw-remote', 'password_reset', ['Locked out at home', 'Locked out while travelling'], ['I am working from home and my account got locked out, I cannot get into email.', 'Travelling for work and I am locked out of everything.']),
  T('pw-es', 'password_reset', ['Contraseña bloqueada', 'Olvidé mi contraseña'], ['Mi cuenta está bloqueada y no puedo entrar al correo.', 'Olvidé mi contraseña, ¿pueden restablecerla por favor?']),
  T('pw-fr', 'password_reset', ['Mot de passe oublié', 'Compte verrouillé'], ['J\'ai oublié mon mot de passe, pouvez-vous le réinitialiser ?', 'Mon compte est verrouillé depuis ce matin.']),
  T('pw-de', 'password_reset', ['Passwort vergessen', 'Konto gesperrt'], ['Ich habe mein Passwort vergessen und kann mich nicht anmelden.', 'Mein Konto ist gesperrt, bitte entsperren.']),
  T('pw-short', 'password_reset', ['pw reset', 'locked', 'password!!'], ['locked out again', 'cant login password', 'reset pls']),
  T('pw-sspr', 'password_reset', ['Self service password reset not working', 'Reset link says I am not registered'], ['I tried the forgotten password link but it says I am not registered for self-service reset.', 'The reset password page wants a code I never set up.']),

  // ---- software_access: access, permissions, licences ----
  T('sa-licence', 'software_access', ['Need a licence for {paid}', 'Licence request', '{paid} licence please'], ['Could I get {paid}? My manager has approved it.', 'I need {paid} for a new project starting next week.', 'It says I do not have a licence for {paid}.']),
  T('sa-unlicensed', 'software_access', ['Unlicensed product', 'Office says unlicensed', 'Product activation failed'], ['{app} shows a banner saying unlicensed product and some features are greyed out.', 'Word says product activation failed {when}.', 'Office keeps asking me to activate.']),
  T('sa-share', 'software_access', ['Access to {share}', 'Need permission for {share}', 'Cannot open {share}'], ['Please can I have access to {share}? I have just joined the team.', 'I get access denied when I try to open {share}.', 'My manager asked me to save files in {share} but I do not have permission.']),
  T('sa-mailbox', 'software_access', ['Shared mailbox access', 'Add me to the shared mailbox', 'Cannot see shared inbox'], ['Can you give me access to the info@ shared mailbox?', 'I need to send as the accounts shared mailbox.', 'The shared inbox disappeared from my Outlook.']),
  T('sa-install', 'software_access', ['Install {app}', 'Need {app} installed', 'Software install request'], ['Could you install {app} on my laptop please? It asks for an admin password.', 'I need {app} installed for a client meeting.', 'Installer says I need administrator rights.']),
  T('sa-teams', 'software_access', ['Add me to the Teams channel', 'Access to Teams team', 'Cannot see the channel'], ['Please add me to the {share} in Teams.', 'My colleague shared a Teams channel but I cannot see it.']),
  T('sa-app-access', 'software_access', ['No access to {app}', 'Access denied in {app}', '{app} says no permission'], ['When I open {app} it says I do not have access.', 'I need edit rights in {app}, at the moment it is read only.', 'Could I get the same access in {app} as my colleague Dana?']),
  T('sa-newstarter-app', 'software_access', ['Access for new role', 'Moved team - need access'], ['I moved to the finance team, could I get access to Sage and the finance folders?', 'Changed roles last week and need the same app access as the rest of sales.']),
  T('sa-es', 'software_access', ['Acceso a carpeta compartida', 'Necesito licencia'], ['Necesito acceso a la carpeta de Finanzas, me da acceso denegado.', '¿Me pueden asignar una licencia de Adobe Acrobat?']),
  T('sa-nl', 'software_access', ['Toegang tot gedeelde map', 'Licentie nodig'], ['Ik heb geen toegang tot de gedeelde map van HR.', 'Kan ik een licentie krijgen voor Visio?']),
  T('sa-fr', 'software_access', ['Accès au dossier partagé', 'Licence Office'], ['Je n\'ai pas accès au dossier partagé Comptabilité.', 'Office me dit que le produit n\'est pas activé.']),
  T('sa-short', 'software_access', ['access pls', 'licence'], ['need access to the finance folder', 'adobe pro licence for me']),

  // ---- vpn_remote_access ----
  T('vpn-noconnect', 'vpn_remote_access', ['VPN not connecting', '{vpn} will not connect', 'Cannot connect to VPN'], ['{vpn} will not connect {when}, it just spins.', 'I cannot connect to {vpn} from home.', 'VPN fails at 98% and then disconnects.']),
  T('vpn-drops', 'vpn_remote_access', ['VPN keeps dropping', 'VPN disconnects', '{vpn} drops every hour'], ['{vpn} keeps disconnecting every few minutes.', 'The VPN connection drops whenever I am on a Teams call.', 'VPN connects but drops after about an hour.']),
  T('vpn-creds', 'vpn_remote_access', ['VPN login failed', 'VPN credentials not working'], ['{vpn} says credential or SSLVPN configuration is wrong.', 'My VPN login gets rejected although email works fine.']),
  T('vpn-rdp', 'vpn_remote_access', ['Remote desktop not working', 'Cannot RDP to my PC', 'Remote access to office PC'], ['I cannot remote desktop to my office computer {when}.', 'Remote Desktop says the computer can not be found.', 'How do I connect to my work PC from home?']),
  T('vpn-setup', 'vpn_remote_access', ['Set up VPN on laptop', 'VPN on home computer', 'Need remote access'], ['Can you set up {vpn} on my new laptop so I can work from home?', 'I will be working remotely next week and need VPN access.']),
  T('vpn-drives', 'vpn_remote_access', ['Network drives not showing on VPN', 'Cannot reach shared drives from home'], ['I am connected to {vpn} but my network drives are not showing.', 'Working from home, VPN connected, but the S: drive is missing.']),
  T('vpn-hotel', 'vpn_remote_access', ['VPN from hotel', 'VPN blocked on hotel wifi'], ['I am at a hotel and {vpn} will not connect on their wifi.', 'VPN does not work from the airport lounge.']),
  T('vpn-es', 'vpn_remote_access', ['VPN no conecta', 'Problema con VPN'], ['La VPN no conecta desde casa desde ayer.', 'No puedo conectarme a la VPN de la oficina.']),
  T('vpn-de', 'vpn_remote_access', ['VPN geht nicht', 'Keine VPN Verbindung'], ['Ich kann mich seit heute Morgen nicht mit dem VPN verbinden.', 'Das VPN trennt ständig die Verbindung.']),
  T('vpn-fr', 'vpn_remote_access', ['VPN ne se connecte pas'], ['Le VPN ne se connecte plus depuis la mise à jour.', 'Impossible de me connecter au VPN depuis chez moi.']),
  T('vpn-short', 'vpn_remote_access', ['vpn', 'vpn down?'], ['vpn wont connect', 'vpn keeps kicking me off']),

  // ---- printer_peripheral ----
  T('pr-offline', 'printer_peripheral', ['Printer offline', '{printer} offline', 'Cannot print'], ['{printer} shows as offline on my computer.', 'I cannot print to {printer} {when}.', 'Print jobs sit in the queue and nothing comes out.']),
  T('pr-jam', 'printer_peripheral', ['Paper jam', 'Printer jammed', '{printer} keeps jamming'], ['{printer} says paper jam but there is no paper stuck.', 'Paper keeps jamming in tray 2.']),
  T('pr-scan', 'printer_peripheral', ['Scan to email not working', 'Scanner not working', 'Cannot scan to folder'], ['Scan to email on {printer} stopped working {when}.', 'The scanner says it cannot connect to the scans folder.']),
  T('pr-add', 'printer_peripheral', ['Add printer', 'Set up printer on laptop', 'New printer install'], ['Can you add {printer} to my laptop?', 'I moved desks and need the printer at {site} set up.']),
  T('pr-quality', 'printer_peripheral', ['Print quality', 'Prints are streaky', 'Printer printing blank pages'], ['Everything from {printer} comes out streaky and faded.', 'The printer prints blank pages.']),
  T('pr-toner', 'printer_peripheral', ['Toner low', 'Need toner', 'Out of ink'], ['{printer} says toner low, do we have a spare?', 'Out of ink on the colour printer.']),
  T('pr-monitor', 'printer_peripheral', ['{device} not working', 'Second monitor not detected', 'No display on {device}'], ['My {device} is not working {when}.', 'The second screen is not detected when I plug into the dock.', 'Monitor flickers and goes black.']),
  T('pr-kbd', 'printer_peripheral', ['Keyboard not typing', 'Mouse not working', 'Headset no sound'], ['My wireless {device} stopped working, I changed the batteries.', 'The headset microphone is not picked up in Teams.', 'Some keys on my keyboard do not work.']),
  T('pr-dock', 'printer_peripheral', ['Dock not working', 'Laptop dock no screens'], ['When I plug my laptop into the {device} nothing happens.', 'Docking station stopped charging my laptop.']),
  T('pr-es', 'printer_peripheral', ['Impresora no imprime', 'Problema con la impresora'], ['La impresora de recepción no imprime, sale fuera de línea.', 'No puedo escanear a correo electrónico.']),
  T('pr-nl', 'printer_peripheral', ['Printer werkt niet', 'Scanner doet het niet'], ['De printer staat offline en ik kan niet printen.', 'Mijn tweede beeldscherm wordt niet herkend.']),
  T('pr-short', 'printer_peripheral', ['printer', 'cant print!!'], ['printer not printing', 'monitor black']),

  // ---- software_error: common errors in applications ----
  T('se-crash', 'software_error', ['{app} crashing', '{app} keeps crashing', '{app} closes by itself'], ['{app} crashes every time I open it {when}.', '{app} closes on its own after a few minutes.', '{app} freezes and then shuts down.']),
  T('se-error', 'software_error', ['{app} error {err}', 'Error message in {app}', 'Getting {err}'], ['I get {err} when I open {app}.', '{app} shows {err} and will not continue.', 'Error {err} pops up {when}.']),
  T('se-notresponding', 'software_error', ['{app} not responding', '{app} frozen', '{app} very slow'], ['{app} says not responding and I have to force close it.', '{app} is extremely slow {when}.']),
  T('se-outlook-search', 'software_error', ['Outlook search not working', 'Cannot search emails'], ['Outlook search returns no results even for emails I can see.', 'Search in Outlook stopped working {when}.']),
  T('se-sync', 'software_error', ['OneDrive not syncing', 'Sync error', 'SharePoint files not syncing'], ['OneDrive shows a red cross and files are not syncing.', 'I have sync errors on my Documents folder.']),
  T('se-teams-cache', 'software_error', ['Teams won\'t load', 'Teams white screen', 'Teams stuck loading'], ['Teams is stuck on the loading screen.', 'Teams shows {err} and a white window.']),
  T('se-attach', 'software_error', ['Cannot open attachments', 'PDF will not open', 'Excel file corrupt message'], ['When I open a PDF attachment it says the file is damaged.', 'Excel says the file format is not valid for a file that worked yesterday.']),
  T('se-update', 'software_error', ['Problem after update', '{app} broken after update'], ['Since the latest update {app} will not start.', 'After Windows updates last night {app} shows {err}.']),
  T('se-es', 'software_error', ['Error en Outlook', 'Excel se cierra'], ['Outlook se cierra solo cada vez que lo abro.', 'Me sale un error al abrir Excel.']),
  T('se-fr', 'software_error', ['Erreur Outlook', 'Teams ne démarre pas'], ['Outlook plante au démarrage depuis ce matin.', 'Teams reste bloqué sur un écran blanc.']),
  T('se-de', 'software_error', ['Outlook stürzt ab', 'Fehlermeldung in Excel'], ['Outlook stürzt beim Start immer ab.', 'Excel zeigt eine Fehlermeldung beim Öffnen.']),
  T('se-short', 'software_error', ['outlook broken', 'excel crash'], ['outlook keeps crashing', 'teams error again']),

  // ---- engineering: needs judgement, and the dangerous ones (never automated) ----
  T('en-server-down', 'engineering', ['{server} down', 'Cannot reach {server}', 'Server not responding'], ['{server} is down and nobody can work.', '{server} is not responding {when}, all users affected.', 'Everyone gets an error connecting to {server}.'], true),
  T('en-outage', 'engineering', ['Internet down at {site}', 'Whole office offline', 'Network outage'], ['The whole office at {site} has no internet.', 'Nobody can connect to anything {when}, the network is down.', 'Everyone at {site} lost wifi and wired network.'], true),
  T('en-phish', 'engineering', ['Clicked a suspicious link', 'Phishing email', 'I think I got phished'], ['I clicked a link in an email that asked for my password and I entered it.', 'Got an email from our CEO asking for gift cards, I replied before I noticed.', 'I think I fell for a phishing email, it asked me to reset my password.'], true),
  T('en-ransom', 'engineering', ['Files encrypted', 'Ransom note on screen', 'All my files renamed'], ['All the files on the shared drive have a strange extension and there is a ransom note.', 'A message on my screen says my files are encrypted and I must pay.'], true),
  T('en-compromised', 'engineering', ['Suspicious sign-in', 'Someone logged into my account', 'Account hacked'], ['I got an alert about a sign-in from another country that was not me.', 'My account sent emails I did not write, I think it was hacked.', 'Unknown sign-in on my Microsoft account and my password was changed.'], true),
  T('en-stolen', 'engineering', ['Laptop stolen', 'Lost my work phone', 'Bag stolen with laptop'], ['My laptop was stolen from my car last night, it has the VPN on it.', 'I lost my work phone on the train, it has email and MFA on it.'], true),
  T('en-backup', 'engineering', ['Backup failed', 'Need files restored', 'Deleted folder by mistake'], ['The nightly backup failed again according to the report.', 'I deleted a whole folder on the shared drive by mistake, can it be restored?', 'We lost all data on the finance share.'], true),
  T('en-firewall', 'engineering', ['Firewall issue', 'Firewall rule request', 'Firewall blocking site'], ['The firewall is blocking our new supplier portal for everyone.', 'Can you open a firewall port for the new CCTV system?'], true),
  T('en-onboard', 'engineering', ['New starter next week', 'New user setup', 'Onboarding'], ['We have a new starter on Monday, please set up a laptop, email and access like Sam.', 'Please create an account for our new receptionist starting next week.']),
  T('en-offboard', 'engineering', ['Leaver', 'Staff member leaving', 'Disable account for leaver'], ['Jo leaves on Friday, please disable the account and forward the email to her manager.', 'Please remove access for a staff member who left today.']),
  T('en-project', 'engineering', ['Quote for new laptops', 'Office move', 'Upgrade planning'], ['We need a quote for 10 new laptops.', 'We are moving office in June and need to plan the network.', 'Can we talk about moving our files to SharePoint?']),
  T('en-hardware', 'engineering', ['Laptop will not turn on', 'Water on laptop', 'Broken screen'], ['My laptop will not turn on at all, no lights.', 'I spilt coffee on my laptop keyboard.', 'Laptop screen is cracked after I dropped it.']),
  T('en-wifi-team', 'engineering', ['Wifi slow for everyone', 'Network very slow'], ['The wifi in the meeting rooms is very slow for everyone {when}.', 'The whole team says the network is very slow.'], true),
  T('en-email-flow', 'engineering', ['Not receiving external email', 'Emails bouncing'], ['Nobody in the company is receiving emails from outside since this morning.', 'Our emails to clients are bouncing back as spam.'], true),
  T('en-phish-vpn', 'engineering', ['VPN login page looked strange', 'Fake VPN page'], ['I typed my VPN password into a page that looked odd, then it said error. Was that real?'], true),
  T('en-es', 'engineering', ['Servidor caído', 'Correo sospechoso'], ['El servidor de archivos no responde y nadie puede trabajar.', 'Hice clic en un enlace sospechoso e introduje mi contraseña.'], true),
  T('en-de', 'engineering', ['Server ausgefallen', 'Laptop gestohlen'], ['Der Server ist ausgefallen, niemand kann arbeiten.', 'Mein Laptop wurde gestohlen.'], true),
  T('en-general', 'engineering', ['Question', 'Advice needed', 'Request'], ['Can someone call me about our phone system contract?', 'Do we have a policy on using personal phones for work email?']),
];

function fill(text: string, random: () => number): string {
  return text.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const options = SLOTS[slot] ?? [slot];
    return options[Math.floor(random() * options.length)] ?? slot;
  });
}

function typo(text: string, random: () => number): string {
  const words = text.split(' ');
  const i = Math.floor(random() * words.length);
  const w = words[i] ?? '';
  if (w.length < 4) return text;
  const j = 1 + Math.floor(random() * (w.length - 2));
  const kinds = [
    () => w.slice(0, j) + w.slice(j + 1), // drop a letter
    () => w.slice(0, j - 1) + (w[j] ?? '') + (w[j - 1] ?? '') + w.slice(j + 1), // swap two
    () => w.slice(0, j) + (w[j] ?? '') + w.slice(j), // double a letter
  ];
  words[i] = (kinds[Math.floor(random() * kinds.length)] ?? kinds[0])?.() ?? w;
  return words.join(' ');
}

const pick = <T>(xs: T[], random: () => number): T => xs[Math.floor(random() * xs.length)] as T;
const isTestFamily = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 5 === 0;

function main() {
  const random = seededRandom(20261122);
  const rows: string[][] = [['id', 'subject', 'body', 'category', 'dangerous', 'split', 'family']];
  let n = 0;
  for (const t of TEMPLATES) {
    const perTemplate = t.id.endsWith('-short') ? 10 : 24;
    for (let k = 0; k < perTemplate; k++) {
      let subject = fill(pick(t.subjects, random), random);
      let body = fill(pick(t.bodies, random), random);
      if (random() < 0.35) body += ` ${fill(pick(t.bodies, random), random)}`;
      if (random() < 0.3) body = typo(body, random);
      if (random() < 0.15) subject = typo(subject, random);
      if (random() < 0.2) body = body.toLowerCase().replace(/[.,!?]/g, '');
      const greeting = pick(GREETINGS, random);
      const signoff = pick(SIGNOFFS, random);
      const full = [greeting, body, signoff].filter(Boolean).join('\n\n');
      rows.push([
        `M${String(++n).padStart(5, '0')}`,
        subject,
        full,
        t.category,
        t.dangerous ? '1' : '0',
        isTestFamily(t.id) ? 'test' : 'train',
        t.id,
      ]);
    }
  }
  const csv = rows
    .map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
    .join('\n');
  const out = path.resolve(__dirname, '..', '..', 'data', 'msp-tickets.csv');
  writeFileSync(out, `${csv}\n`);
  const test = rows.filter((r) => r[5] === 'test').length;
  console.log(`wrote ${rows.length - 1} tickets (${test} in held-out families) to ${out}`);
}

main();
