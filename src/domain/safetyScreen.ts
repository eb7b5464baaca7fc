import { foldText } from './text';

/**
 * The safety screen: tickets that must never reach automation, whatever else they mention, and
 * the ones among them that are P1. It runs on folded text (lower case, no accents) so the German,
 * Spanish, French and Dutch patterns stay ASCII.
 *
 * Precision matters in both directions. A ransom note or a clicked phishing link that reaches a
 * password-reset playbook is a disaster; a "VPN server not responding" from one person at home
 * that goes to tier 3 is a ticket automation should have taken. So most rules need two things in
 * one sentence (a thing and what happened to it), and words that are only incidental (a mail
 * footer "scanned for viruses", "Hi everyone", "switch on", "my home router") are discounted.
 */
export type DangerReason =
  | 'security incident'
  | 'site-wide outage'
  | 'server or infrastructure'
  | 'data loss or backup'
  | 'lost or stolen device'
  | 'affects everyone';

export interface Danger {
  reason: DangerReason;
  /** P1 whatever else the ticket says: an attack in progress, fraud, or a site, server, phones or website down. */
  critical: boolean;
}

const any = (text: string, ...patterns: RegExp[]) => patterns.some((p) => p.test(text));
/** True when one sentence matches every pattern. */
const together = (sentences: string[], ...patterns: RegExp[]) =>
  sentences.some((s) => patterns.every((p) => p.test(s)));

// ---- incidental words: mail footers and greetings --------------------------------------------
const FOOTER =
  /\b(virus(es)?|malware)\b.*\b(scanned|checked|free|responsibility|liability|accept no|mimecast|recipient)\b|\b(scanned|checked)\b.*\b(virus(es)?|malware)\b/;
const GREETING =
  /^[ \t]*(hi|hello|hey|dear|morning|good (morning|afternoon)|thanks|thank you|cheers|hallo|hola|bonjour|hoi)[ \t]+(everyone|everybody|all|team|folks|guys|allemaal|a todos|tout le monde)\b[ \t]*[,!.-]?/gm;

// ---- security: an attack in progress (P1) -------------------------------------------------------
const RANSOM =
  /\b(ransom\w*|losegeld\w*|rescate|rancon|losgeld|bitcoin|btc|monero|decrypt\w*|tor (link|browser)|readme_restore\w*)\b|\.onion\b|\.(locked|crypt|crypted|encrypted)\b/;
const ENCRYPTED = /\b(encrypted|verschlusselt|cifrad[oa]s?|chiffres?|versleuteld)\b/;
const ENCRYPTED_WHAT =
  /\b(files?|documents?|data|network|drives?|everything|server|dateien|archivos|fichiers|bestanden|documentos|donnees)\b/;

const CLICKED =
  /\b(clicked|click(ed)? on|clicking|opened|followed|tapped|pressed|hice clic|hecho clic|clique|geklikt|aangeklikt|geklickt|abri|ouvert|geopend|geoffnet)\b/;
const LURE = /\b(links?|attachments?|enlace|vinculo|lien|bijlage|anhang|adjunto|piece jointe|url|qr code)\b/;
const MACROS =
  /\benabl(e|ed|ing) (the )?(content|editing|macros?)\b|\b(inhalt aktivieren|habilitar contenido|activer le contenu|inhoud inschakelen)\b/;
const TYPED_IN =
  /\b(typed|entered|put|gave|filled|input|submitted|introduje|introducido|metido|puse|saisi|entre|ingevuld|ingetypt|ingevoerd|eingegeben|eingetippt)\b/;
const SECRET =
  /\b(password|login|log-?in details|credentials|details|username|contrasena|mot de passe|identifiants|wachtwoord|inloggegevens|passwort|kennwort|zugangsdaten)\b/;
const SUSPICIOUS_THING =
  /\b(links?|page|site|website|e-?mail|mail|message|text|sender|url|attachment|invoice|pop-?up|lien|enlace|correo|courriel|bericht|nachricht)\b/;
const SUSPICIOUS_WORD =
  /\b(dodgy|suspicious|strange|weird|fake|odd|bizarre|dubious|malicious|sospechos[oa]|raro|extrano|louche|suspect|vreemd|verdacht\w*|seltsam|komisch)\b/;
const LURED =
  /\b(phish\w*|scam\w*|spoof\w*|claiming to be|pretending to be|fell for|looked (wrong|fake|dodgy|off|odd)|looked like it (came|was) from|supposedly from|pretended|purport\w*|not (real|legit|genuine)|blank page|realis\w* it (was|looked))\b|\b(is|was) (this|that|it) (a problem|real|legit|genuine)\b/;
const NOT_CLICKED =
  /\b(i|we|and) (did ?n'?t|didnt|did not|have ?n'?t|have not|never) (click|open|repl|respond|enter|type)\w*|\bwithout (clicking|opening|replying)\b|\bdid ?n'?t click\b/;
const A_MAIL = /\b(e-?mails?|mail|message|links?|attachments?|text)\b/;

const NOT_ME =
  /\b(not me|was ?n'?t me|was not me|were ?n'?t me|were not me|not by me|not mine|nicht von mir|nicht ich|no (he sido|fui) yo|pas moi|niet van mij|niet door mij|niet ik)\b/;
const SIGN_IN =
  /\b(sign-?ins?|log-?ins?|logons?|signed in|logged in|anmeldung\w*|inicio de sesion|inicios de sesion|connexions?|aanmelding\w*|inlogpoging\w*)\b/;
const ODD_SIGN_IN =
  /\b(unusual|suspicious|unknown|unrecogni[sz]ed|strange|weird|another country|other countr\w*|different country|abroad|foreign|ungewohnlich\w*|verdachtig\w*|inusual\w*|sospechos\w*|inhabituel\w*|ongebruikelijk\w*)\b/;
const SENT_AS_ME =
  /\b(from me|from my (account|address|mailbox|e-?mail)|in my name|von meiner (adresse|e-?mail)|desde mi (cuenta|correo)|de mon adresse|van mijn (adres|account))\b/;
const NOT_SENT =
  /\b(did ?n'?t send|did not send|didnt send|never sent|not sent by me|nicht (geschickt|gesendet|verschickt)|no (los )?he enviado|pas envoye|niet verstuurd)\b/;
const TAKEN_OVER =
  /\b(hack(ed|er|ers)?|gehackt|hackead[oa]|pirate|compromis\w*|breach\w*|hijack\w*|taken over|account takeover)\b|\b(someone|somebody)( else)? (has |must have )?(changed|reset) my password\b|\brecovery (phone|e-?mail|number) (was|has been) changed\b|\brules?\b[^.]{0,40}\b(did ?n'?t|did not|didnt|never) (create|set|make|add)/;

const MFA =
  /\b(mfa|2fa|multi-?factor|two-?factor|authenticator|approve sign-?in|approval requests?|sign-?in requests?|verification codes?|security codes?|codes?|push|prompts?|notifications?|meldingen|demandes? d'approbation|anmeldeanfragen|codigos?)\b/;
const NOT_STARTED =
  /\b((was ?n'?t|was not|wasnt|i'?m not|am not|was not even) (trying to |even )?(log|sign)(ging)? ?in|not (logging|signing) in|(did ?n'?t|did not|didnt|never) (ask|request|start|trigger|initiate)\w*|not (started|triggered|requested|initiated) by me|approved (it |one |them )?(by mistake|accidentally|without thinking)|accidentally approved|(nicht|nie) (selbst )?(angefordert|ausgelost|gestartet)|niet zelf (heb )?(aangevraagd|gestart)|je n'essaie pas|je ne me connecte pas|que je n'ai pas (demande|initie)\w*|sin (haberlo )?solicitar\w*|no he (solicitado|pedido))/;

const GIFT_CARDS =
  /\b(gift ?cards?|itunes cards?|apple (gift )?cards?|google play cards?|amazon vouchers?|gutscheinkarten|tarjetas regalo|cartes cadeaux|cadeaubonnen)\b/;
const BANK_DETAILS =
  /\b(bank (details|account)|account details|iban|sort code|bankverbindung|kontoverbindung|cuenta bancaria|datos bancarios|coordonnees bancaires|rib|rekeningnummer|bankgegevens)\b/;
const CHANGED =
  /\b(changed?|new|updated?|different|neue\w*|nueva|nuevos?|nouveau\w*|nouvelles?|nieuwe?|gewijzigd|geandert|cambiad\w*|modifie\w*)\b/;
const TRANSFER =
  /\b(transfer|wire|uberweisung|uberweisen|transferencia|virement|overboeking)\b|\bpayment to\b/;
const NEW_PAYEE =
  /\b(new (supplier|account|payee|vendor)|cuenta nueva|nueva cuenta|nouveau (compte|fournisseur)|nieuwe (rekening|leverancier)|neue\w* (konto|lieferant\w*)|keep (this|it) confidential)\b/;
const INVOICE = /\b(invoices?|rechnung\w*|facturas?|factures?|facturen|factuur)\b/;
const FAKE =
  /\b(fake|fraud\w*|scam\w*|phish\w*|never (used|heard|dealt)|unknown|not ours|suspicious|dodgy|gefalscht\w*|betrug\w*|falsa|fausse|valse|nep)\b/;
const FRAUD = /\b(fraud\w*|betrug\w*|fraude|oplichting|ceo fraud|whaling)\b/;
const PAID_VIA_LINK = /\b(link|pay|paid)\b/;

const SCAM_CALL =
  /\b(phoned|called|rang|caller|pop-?up|said (they|he|she) (was|were) from|claiming|support number|the number on)\b/;
const LET_IN =
  /\b(let|allowed|gave|granted)\b[^.]{0,20}\b(them|him|her|someone|somebody|the caller|a caller|they)\b[^.]{0,30}\b(connect|access|control|remote|in|on)\b|\bcalled the number\b/;

// ---- security: not an attack in progress --------------------------------------------------------
const REPORTED_LURE =
  /\b(phish\w*|scam\w*|spoof\w*|fake (e-?mail|mail|message|text)|suspicious (e-?mail|mail|message|text|link|attachment|call|sender))\b/;
const MALWARE =
  /\b(virus\w*|trojan\w*|malware|spyware|keylogger|infected|infection|worm|adware|rootkit|cryptominer)\b|\b(defender|antivirus|anti-virus|sophos|malwarebytes|sentinelone|crowdstrike|webroot|bitdefender)\b[^.]{0,40}\b(found|detected|quarantin\w*|threat|alert)\b/;
const FOUND_USB =
  /\b(usb|memory stick|thumb ?drive|pen ?drive)\b[^.]{0,60}\bfound\b|\bfound\b[^.]{0,30}\b(usb|memory stick)\b/;

// ---- outages ------------------------------------------------------------------------------------
const EVERYONE_ELSE = /\b(everyone|everybody|anyone|all the others|the others) else\b/g;
const NOBODY_AS_WORD =
  /\b(nobody|no one|noone|no-one|niemand|nadie) (told|tells|said|mentioned|knows|know|warned|answers|answered|replied|uses|asked|gave)\b/g;
const SCOPE_NONE =
  /\b(nobody|no one|noone|no-one|none of (us|the|our|them)|niemand|nadie|personne (ne|n'))\b/;
const SCOPE_ALL =
  /\b(everyone|everybody|all (users|staff|of us|our staff|employees|the (users|staff|pcs|computers|machines|phones))|(whole|entire) (office|ofice|offce|site|company|building|branch|practice|clinic|shop|firm|school|organi[sz]ation|floor)|company-?wide|across the (site|office|company|building)|for anyone|every (pc|computer|machine|user|desk|workstation)|iedereen|tout le monde|todo el mundo|toda la oficina|todos los (usuarios|empleados|equipos)|tous les (utilisateurs|postes)|alle (mitarbeiter|kollegen|benutzer|gebruikers|medewerkers)|(das )?ganze\w* (buro|firma|team)|hele (kantoor|bedrijf))\b/;
const FAILS =
  /\b(no|not|errors?|can'?t|cannot|can not|unable|won'?t|isn'?t|aren'?t|doesn'?t|don'?t|down|out|dead|lost|without|offline|failed|fails|gone|broken|slow|kein\w*|nicht|niet|geen|sin|ne|pas|sans|ausgefallen|en panne|eruit|caid[oa])\b/;
/** What going down makes a P1: the site's connection, its mail, phones, website, servers, or all work. */
const CORE_SERVICE =
  /\b(internet|internt|interent|network|netzwerk|la red|reseau|netwerk|wifi|wi-fi|wlan|broadband|connection|connectivity|e-?mails?|mail|phones?|telephones?|phone (lines|system)|telefon\w*|telefoons|handsets|website|servers?|servidor|serveur|systems?|everything|anything|vpn|[a-z] drive|shared drives?|log ?in|log on|sign in|online|get on|connect|work|arbeiten|trabajar|travailler|werken)\b/;
const SITE_NETWORK_DOWN =
  /\b(internet|internt|network|wifi|wi-fi|broadband)\b[^.]{0,30}\b(down|out|dead|gone)\b[^.]{0,30}\b(at|in) the \w+ (site|office|branch|building)\b/;
const PHONES =
  /\b(phones|telephones|desk phones|phone lines|phone system|phone service|handsets|telefoons|telefone|telefonanlage|telefonos|telephones|centralita)\b/;
const PHONES_DOWN =
  /\b(down|dead|no service|(are|is|went|gone) out|out of (order|service)|not working|are ?n'?t working|do ?n'?t work|none|eruit|en panne|ausgefallen|funktionier\w* nicht|no funcionan|registering|get through|bereiken|joindre)\b/;
const OUR_WEBSITE =
  /\b(our|the|company|onze|unsere|nuestra|notre) (company |public |main )?(website|web ?site|site web|webseite|homepage|pagina web|webshop|online shop)\b/;
const WEBSITE_DOWN =
  /\b(down|offline|unreachable|not (loading|working|available|up)|won'?t load|can'?t be reached|error|hacked|defaced|showing|onbereikbaar|nicht erreichbar|caida|inaccessible|en panne)\b/;

// ---- servers and infrastructure -----------------------------------------------------------------
const SERVER =
  /\b(servers?|servidor(es)?|serveurs?|fileserver|dateiserver|domain controller|hypervisor|hyper-?v|vmware|esxi|host|virtual machines?|vms|nas)\b/;
const SERVER_DOWN =
  /\b(down|crashed|crash(es)?|offline|dead|won'?t (boot|start|come (back )?up)|will not (boot|start)|(none|not one) of the [\w -]{0,30}(will|would|can) (start|boot|come up)|(has|have|is) failed|ausgefallen|abgesturzt|en panne|plante|caido|ligt eruit|is gone)\b/;
/** The server itself down, not an error message that happens to name one ("print server ... failed"). */
const SERVER_IS_DOWN = new RegExp(`${SERVER.source}[^.]{0,40}?${SERVER_DOWN.source}`);
const SERVER_WORK =
  /\b(warning|disk|space|full|reboot|restart|patch\w*|updates?|upgrade|raid|fan|beep\w*|temperature|hot|noise|cpu|memory|ram|replace|migrat\w*|install\w*|certificate expir\w*|running out)\b/;
/** A server as the requester meets it from their own desk: reaching it, mapping it, sending through it. */
const CLIENT_FACING_SERVER =
  /\b(vpn|remote|terminal|rd|rds|citrix|mail|smtp|e-?mail|exchange|imap|pop3?|outgoing|incoming|print|file|license|licence|sftp|ftp|proxy)[ -]?servers?\b|\bservers? (address|name)\b|\b(vpn|smtp|datei|file|mail)-?server\b|\bservidor (vpn|smtp|de archivos|de correo)\b|\bserveur (vpn|smtp|de fichiers|de messagerie)\b|\bfileserver\b|\bdateiserver\b/;
/** Working from elsewhere: whatever server the VPN or remote desktop reaches, the complaint is remote access. */
const REMOTE_CONTEXT =
  /\b(vpn|remote|from home|at home|working from home|work from home|rdp|citrix|thuis|zu hause|homeoffice|desde casa|chez moi|a distance)\b/;
/** One person's complaint at their desk: a drive that will not map, a folder refused, mail or a scan not going. */
const DESK_CONTEXT =
  /\b(map(ped|ping|s)?|drive letter|access (is )?denied|permissions?|permiso|droits?|berechtigung\w*|rechten|outlook|scan\w*|escane\w*|printers?|copier|kopierer)\b/;
const NETWORK_GEAR =
  /\b(firewall\w*|fortigate|sonicwall|meraki|watchguard|(network|ethernet|poe|core|cisco|netgear|aruba|unifi|managed) switch(es)?|one of the switches|comms (cupboard|cabinet|room)|server (room|cabinet|rack)|patch panel|network cabinet|access points?)\b|\bswitch(es)? (in|on) the (comms|server|network|cabinet|rack)\b|\bthe switch(es)? (is|are|has|have) (down|dead|off|beeping|flashing|orange|amber|red|failed)\b|(?<!\b(home|my|own|hotel|personal) )\brouter\b(?! (at|de|van|bei|zu) (home|casa|thuis|hause))/;
const UPS = /\bUPS\b(?! (parcel|delivery|driver|courier|label|tracking))/;

// ---- data loss, backups, lost and stolen devices ------------------------------------------------
const BACKUP =
  /\b(backups?|back-ups?|backed up|datensicherung|sicherung|copias? de seguridad|sauvegardes?|data loss|datenverlust|perdida de datos|perte de donnees|dataverlies)\b(?! (phone|codes?|method|number|e-?mail address))/;
const DATA_GONE =
  /\brestor\w*\b[^.]{0,40}\b(backup|version|yesterday|last (night|week)|previous|deleted|folder|files?|from)\b|\b(deleted|removed|wiped|overwrote|overwritten)\b[^.]{0,50}\b(folder|share|files|drive|directory|everything)\b|\blost (all )?(my |our |the )?(files|data|documents|work\b(?! (mobile|phone|laptop|ipad|tablet|device)))\b|\b(files|folders?|documents|data) (have |has )?(gone|disappeared|vanished|missing)\b|\b(wiederherstell\w*|recuperar\w*|restaurer|terugzetten)\b/;
const STOLEN =
  /\b(stolen|theft|gestohlen|robad[oa]s?|vole|volee|gestolen|diefstal)\b|\b(lost|misplaced)\b (my |our |a |the |his |her )?(work |company |office )?(laptop|phone|mobile|iphone|tablet|ipad|device|bag|macbook|notebook)\b|\b(laptop|phone|mobile|iphone|tablet|ipad|device|bag)\b (is |was |has been |got )?(lost|missing)\b|\b(handy|laptop|telefoon|telefon) verloren\b|\bperdu (mon|ma)\b|\bperdido (mi|el)\b/;

/**
 * Screens a ticket's subject and body. Returns the first danger found, critical ones first, or
 * undefined when the ticket may go on to the model.
 */
export function screenTicket(text: string): Danger | undefined {
  const folded = foldText(text)
    .split('\n')
    .filter((line) => !FOOTER.test(line))
    .join('\n')
    .replace(GREETING, '')
    .replace(EVERYONE_ELSE, 'others')
    .replace(NOBODY_AS_WORD, 'people $2');
  const sentences = folded.split(/(?<=[.!?;])\s+|\n+/).filter((s) => s.trim() !== '');

  if (attackInProgress(folded, sentences)) return { reason: 'security incident', critical: true };
  if (coreOutage(sentences)) return { reason: 'site-wide outage', critical: true };

  if (any(folded, REPORTED_LURE, MALWARE, FOUND_USB) || (NOT_CLICKED.test(folded) && A_MAIL.test(folded)))
    return { reason: 'security incident', critical: false };
  if (infrastructure(folded, sentences, text)) return { reason: 'server or infrastructure', critical: false };
  if (any(folded, BACKUP, DATA_GONE)) return { reason: 'data loss or backup', critical: false };
  if (STOLEN.test(folded)) return { reason: 'lost or stolen device', critical: false };
  if (together(sentences, SCOPE_ALL, FAILS) || together(sentences, SCOPE_NONE))
    return { reason: 'affects everyone', critical: false };
  return undefined;
}

function attackInProgress(folded: string, sentences: string[]): boolean {
  const ransomware =
    RANSOM.test(folded) || (together(sentences, ENCRYPTED, ENCRYPTED_WHAT) && !/\bbitlocker\b/.test(folded));

  const clickedLure = together(sentences, CLICKED, LURE) || MACROS.test(folded);
  const typedSecret = together(sentences, TYPED_IN, SECRET);
  const suspicious = LURED.test(folded) || together(sentences, SUSPICIOUS_WORD, SUSPICIOUS_THING);
  const phished =
    !NOT_CLICKED.test(folded) &&
    (MACROS.test(folded) ||
      (clickedLure && (typedSecret || suspicious)) ||
      (typedSecret && suspicious) ||
      /\b(fell for|got phished|been phished|replied to (a|the|this) phish\w*)\b/.test(folded));

  const compromised =
    together(sentences, SIGN_IN, ODD_SIGN_IN) ||
    together(sentences, SIGN_IN, NOT_ME) ||
    (SENT_AS_ME.test(folded) && (NOT_SENT.test(folded) || NOT_ME.test(folded))) ||
    TAKEN_OVER.test(folded);

  const unsolicitedMfa = MFA.test(folded) && NOT_STARTED.test(folded);

  const fraud =
    GIFT_CARDS.test(folded) ||
    FRAUD.test(folded) ||
    together(sentences, BANK_DETAILS, CHANGED) ||
    together(sentences, TRANSFER, NEW_PAYEE) ||
    together(sentences, INVOICE, FAKE) ||
    (INVOICE.test(folded) && PAID_VIA_LINK.test(folded) && LURED.test(folded));

  const remoteScam = LET_IN.test(folded) && SCAM_CALL.test(folded);

  return ransomware || phished || compromised || unsolicitedMfa || fraud || remoteScam;
}

function coreOutage(sentences: string[]): boolean {
  return (
    together(sentences, SCOPE_ALL, FAILS, CORE_SERVICE) ||
    together(sentences, SCOPE_NONE, CORE_SERVICE) ||
    sentences.some((s) => SITE_NETWORK_DOWN.test(s)) ||
    together(sentences, PHONES, PHONES_DOWN) ||
    together(sentences, OUR_WEBSITE, WEBSITE_DOWN) ||
    sentences.some((s) => SERVER_IS_DOWN.test(s))
  );
}

/**
 * Servers, network gear and the comms room. A server met in a remote-access complaint ("the VPN
 * server could not be established", the file server behind a drive that won't map from home) or
 * a named server in one person's desk complaint (a folder on the file server refused, Outlook or
 * a scanner failing to reach the mail or SMTP server) is not on its own a reason: with nobody else
 * affected, nothing down and no maintenance asked for, the model and rules decide. A server that
 * is slow, full or erroring for its own sake stays with engineers.
 */
function infrastructure(folded: string, sentences: string[], original: string): boolean {
  if (NETWORK_GEAR.test(folded) || UPS.test(original)) return true;
  if (!SERVER.test(folded)) return false;
  if (together(sentences, SERVER, SERVER_WORK)) return true;
  if (REMOTE_CONTEXT.test(folded)) return false;
  return !(CLIENT_FACING_SERVER.test(folded) && DESK_CONTEXT.test(folded));
}
