import { AUTOMATABLE, type Category, isCategory } from './categories';
import type { Priority } from './priority';
import { screenTicket } from './safetyScreen';
import { foldText } from './text';

export interface Classification {
  category: Category;
  priority: Priority;
  confidence: number;
  route: 'auto' | 'escalate';
  tier: number;
  reasons: string[];
}

interface Rule {
  category: Category;
  patterns: RegExp[];
}

const RULES: Rule[] = [
  {
    category: 'password_reset',
    patterns: [
      /\bpass ?words?\b/i,
      /\blocked ?out\b/i,
      /\baccount (is )?(locked|gesperrt|bloquead[oa]|verrouill)/i,
      /\b(mfa|2fa|two[- ]factor|multi[- ]factor)\b/i,
      /\bauthenticator\b/i,
      /\b(approve|approval)\b.*\bsign[- ]?in|sign[- ]?in (approval|notification)/i,
      /\bsign[- ]?in\b.*\b(fail|can'?t|cannot)\b/i,
      /\b(contrase[nñ]a|mot de passe|passwort|wachtwoord)\b/i,
      /\breset\b/i,
      /\b(verification|text|sms)[ -]codes?\b|\bcodes? (by|per|par|por) (text|sms)\b/i,
    ],
  },
  {
    category: 'software_access',
    patterns: [
      /licen[cs]|licencia|licentie|lizenz/i,
      /\bactivat(e|ion)\b|\bactiv[eé]\b/i,
      /\baccess (to|denied)\b|\bno access\b|\bpermission|\bpermiso|\bberechtigung|\bdroits?\b|\brechten\b/i,
      /\b(acc[eè]s|acceso|toegang|zugriff)\b/i,
      /\b(dossier|carpeta|map|ordner) (partag|compart|gedeeld|freigeg)/i,
      /\bneed (access|adobe|visio|project)\b/i,
      /\binstall/i,
      /\bshared (mailbox|drive|folder|inbox)\b/i,
      /\bteams? channel\b/i,
      /\bread only\b|\bedit rights\b/i,
    ],
  },
  {
    category: 'vpn_remote_access',
    patterns: [
      /\bvpn\b/i,
      /\bremote (access|desktop)\b|\bescritorio remoto\b|\bbureau [aà] distance\b|\bextern bureaublad\b|\bremotedesktop\b/i,
      /\brdp\b/i,
      /\bwork(ing)? (from home|remotely)\b/i,
      /\b(forticlient|globalprotect|anyconnect|wireguard|sophos connect)\b/i,
    ],
  },
  {
    category: 'printer_peripheral',
    patterns: [
      /\bprint(er|ing|s)?\b|\bimpresora\b|\bimprim|\bdrucker?\b|\bprinten\b/i,
      /\bscan(ner|ning)?\b|\bescane/i,
      /\b(monitor|screen|beeldscherm|bildschirm|pantalla)\b/i,
      /\bkeyboard\b|\bclavier\b|\btastatur\b|\bteclado\b|\btoetsenbord\b/i,
      /\bmouse\b|\bsouris\b|\bmaus\b|\brat[oó]n\b|\bmuis\b/i,
      /\bheadset\b/i,
      /\bdock(ing station)?\b/i,
      /\bwebcam\b/i,
      /\btoner\b|\bink\b|\bpaper jam\b/i,
    ],
  },
  {
    category: 'software_error',
    patterns: [
      /\berror\b|\berreur\b|\bfehler/i,
      /\bcrash(es|ed|ing)?\b|\bplante\b|\bst[uü]rzt\b|\bse cierra\b/i,
      /\bnot responding\b|\bfrozen\b|\bfreez(es|ing)\b/i,
      /\b(outlook|excel|word|teams|onedrive|sharepoint)\b/i,
      /\bwon'?t (open|start|load)\b|\bstuck (on|loading)\b/i,
      /\bsearch\b.*\b(not working|no results)\b|\bnot (syncing|sync)\b|\bsync error/i,
    ],
  },
];

/**
 * Messages whose meaning is fixed, in five languages: a licence banner is an access request to
 * fulfil (a seat to assign), not a software fault, and a locked account is a password case however
 * the rest of the ticket reads. Checked on folded text after the safety screen, before the model.
 */
const DECISIVE: { category: Category; reason: string; pattern: RegExp }[] = [
  {
    category: 'password_reset',
    reason: 'locked account',
    pattern:
      /\b(account|konto|cuenta|compte) (is |has been |was |got |ist |esta |est |is )?(currently )?(locked|gesperrt|bloquead[oa]|verrouille|geblokkeerd|vergrendeld)\b|\blocked out\b|\b(unlock|entsperren|desbloquear|deverrouiller|debloquer|ontgrendelen|deblokkeren)\b(?! (the |my |this )?(folder|file|document|drive|pdf|phone|screen|sheet))/,
  },
  {
    category: 'software_access',
    reason: 'licensing message',
    pattern:
      /\b(unlicen[sc]ed|not licen[sc]ed|no (office |valid |active )?licen[sc]e|do ?n'?t have a licen[sc]e|licen[sc]e (has )?expired|trial (has |period )?(expired|ended|is over)|trial has ended|product activation|activation failed|sign in to activate|activate (office|windows|word|excel)|verify your subscription|reduced functionality|ask your (it )?(admin|administrator) to (enable|turn on|assign)|(admin|administrator|organi[sz]ation) has (disabled|not granted|not enabled|blocked)|nicht lizenziert\w*|ohne lizenz|lizenz (ist )?abgelaufen|testversion (ist )?abgelaufen|bitten sie ihren administrator|sin licencia|la prueba ha caducado|pide a tu administrador|sans licence|l'essai a expire|demandez a votre administrateur|zonder licentie|licentie (is )?verlopen|proefperiode (is )?verlopen|vraag (je|uw) beheerder)\b/,
  },
];

const URGENT =
  /\b(urgent\w*|asap|immediately|critical|emergency|right now|can'?t (work|do anything)|cannot (work|do anything)|unable to work|dringend|urgente|spoed)\b/i;
const TEAM_IMPACT =
  /\b(whole (team|department|floor)|the team (can'?t|cannot|is unable)|our team (can'?t|cannot)|several (people|users|of us|colleagues)|multiple users|a few of us|all of (the )?(team|department)|everyone in (my|the|our) (team|department))\b/i;
const NOT_URGENT =
  /\b(no rush|no hurry|not urgent|low priority|whenever you|when you (get|have) a (chance|moment)|keine eile|sin prisa|pas urgent|geen haast)\b/i;

/**
 * The classifier: a safety screen first (rules no model can overrule), then the trained model's
 * category and probability (or, without a model, keyword rules), then priority rules with reasons.
 */
/** What the model contributes: a label among the categories and its probability. */
export interface CategoryModel {
  predict(text: string): { label: string; confidence: number; scores?: Record<string, number> };
}

export function classifyTicket(
  subject: string,
  body: string,
  autoThreshold = 0.6,
  model?: CategoryModel,
): Classification {
  const text = `${subject}\n${body}`;
  const reasons: string[] = [];
  const priority = priorityOf(text, reasons);

  const danger = screenTicket(text);
  if (danger) {
    reasons.push(`never automated: ${danger.reason}`);
    // An attack in progress or a site, server, phones or website down is P1 whatever the wording.
    if (danger.critical) reasons.push(`${danger.reason}: P1`);
    return {
      category: 'engineering',
      priority: danger.critical ? 'P1' : raise(priority),
      confidence: 0.95,
      route: 'escalate',
      tier: 3,
      reasons,
    };
  }

  const folded = foldText(text);
  const decisive = DECISIVE.find((d) => d.pattern.test(folded));
  if (decisive) {
    reasons.push(`rule: ${decisive.reason} (${decisive.category})`);
    const automatable = 0.9 >= autoThreshold;
    if (!automatable) reasons.push(`confidence 0.90 below threshold ${autoThreshold}`);
    return {
      category: decisive.category,
      priority,
      confidence: 0.9,
      route: automatable ? 'auto' : 'escalate',
      tier: automatable ? 1 : 2,
      reasons,
    };
  }

  const guess = model ? modelGuess(model, text, reasons) : ruleGuess(text, reasons);
  if (!guess) {
    reasons.push('no known tier-1 pattern matched');
    return { category: 'engineering', priority, confidence: 0.5, route: 'escalate', tier: 2, reasons };
  }
  const { category, confidence } = guess;
  const automatable = AUTOMATABLE.has(category) && confidence >= autoThreshold;
  if (AUTOMATABLE.has(category) && !automatable)
    reasons.push(`confidence ${confidence.toFixed(2)} below threshold ${autoThreshold}`);
  return {
    category,
    priority,
    confidence,
    route: automatable ? 'auto' : 'escalate',
    tier: automatable ? 1 : 2,
    reasons,
  };
}

/**
 * What each source said of a ticket, beside the classifier's answer: whether the safety screen or a
 * decisive rule settled it, the model's own top label and the keyword rules' own best category
 * (for the optional second opinion, which is asked when they disagree).
 */
export function classificationSignals(
  subject: string,
  body: string,
  model?: CategoryModel,
): { screened: boolean; decisive: boolean; modelLabel?: Category; rulesLabel?: Category } {
  const text = `${subject}\n${body}`;
  if (screenTicket(text)) return { screened: true, decisive: false };
  if (DECISIVE.some((d) => d.pattern.test(foldText(text)))) return { screened: false, decisive: true };
  const label = model?.predict(text).label;
  const rules = ruleGuess(text, []);
  return {
    screened: false,
    decisive: false,
    ...(isCategory(label) ? { modelLabel: label } : {}),
    ...(rules ? { rulesLabel: rules.category } : {}),
  };
}

/** Weight of one keyword-rule hit next to the model's probabilities (two hits at most count). */
const RULE_PRIOR = 0.45;

function modelGuess(
  model: CategoryModel,
  text: string,
  reasons: string[],
): { category: Category; confidence: number } | undefined {
  const p = model.predict(text);
  const probabilities = p.scores ?? { [p.label]: p.confidence };
  // Domain words (password, VPN, printer) are strong evidence a small training set may not teach.
  const combined = new Map<Category, number>();
  let total = 0;
  for (const [label, prob] of Object.entries(probabilities)) {
    if (!isCategory(label)) continue;
    const hits = RULES.find((r) => r.category === label)?.patterns.filter((re) => re.test(text)).length ?? 0;
    const score = prob + RULE_PRIOR * Math.min(hits, 2);
    combined.set(label, score);
    total += score;
  }
  const best = [...combined.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best || total === 0) return undefined;
  const confidence = Math.round((best[1] / total) * 1000) / 1000;
  reasons.push(`model and rules: ${best[0]} (${confidence.toFixed(2)})`);
  return { category: best[0], confidence };
}

function ruleGuess(text: string, reasons: string[]): { category: Category; confidence: number } | undefined {
  const scores = RULES.map((rule) => ({
    category: rule.category,
    hits: rule.patterns.filter((p) => p.test(text)).length,
  })).sort((a, b) => b.hits - a.hits);
  const best = scores[0];
  const second = scores[1];
  if (!best || best.hits === 0) return undefined;
  const margin = best.hits - (second?.hits ?? 0);
  reasons.push(`matched ${best.hits} ${best.category} pattern(s)`);
  return {
    category: best.category,
    confidence: Math.min(0.95, 0.55 + 0.15 * margin + 0.05 * (best.hits - 1)),
  };
}

function priorityOf(text: string, reasons: string[]): Priority {
  const urgent = URGENT.test(text);
  const team = TEAM_IMPACT.test(text);
  if (urgent) reasons.push('urgency words');
  if (team) reasons.push('affects more than one person');
  if (urgent && team) return 'P1';
  if (urgent || team) return 'P2';
  if (NOT_URGENT.test(text)) {
    reasons.push('no rush');
    return 'P4';
  }
  return 'P3';
}

function raise(priority: Priority): Priority {
  return priority === 'P3' || priority === 'P4' ? 'P2' : priority;
}

/** The client's SLA tier moves priority one step: premium up, basic down. */
export function adjustForSlaTier(
  classification: Classification,
  slaTier: 'premium' | 'standard' | 'basic',
): Classification {
  const order: Priority[] = ['P1', 'P2', 'P3', 'P4'];
  const i = order.indexOf(classification.priority);
  if (slaTier === 'premium' && i > 1)
    return {
      ...classification,
      priority: order[i - 1] ?? classification.priority,
      reasons: [...classification.reasons, 'premium SLA client'],
    };
  if (slaTier === 'basic' && i >= 1 && i < 3)
    return {
      ...classification,
      priority: order[i + 1] ?? classification.priority,
      reasons: [...classification.reasons, 'basic SLA client'],
    };
  return classification;
}
