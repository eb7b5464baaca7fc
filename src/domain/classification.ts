import { AUTOMATABLE, type Category, isCategory } from './categories';
import type { Priority } from './priority';

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

/**
 * Tickets that must never reach automation, whatever else they mention. Checked before anything
 * else so that "I clicked a phishing link, please reset my password" goes to an engineer.
 */
const DANGER: { reason: string; tier: number; pattern: RegExp }[] = [
  {
    reason: 'security incident',
    tier: 3,
    pattern:
      /\b(phish\w*|ransom\w*|malware|virus|hack(ed|er)?|breach|compromis\w*|suspicious (sign|log)[- ]?in|unknown (sign|log)[- ]?in|encrypted (my|our|all) files|clicked (on )?(a|an|the|this) (link|attachment)|(strange|unexpected|unusual|weird) (sign|log)[- ]?in( prompts?)?|(typed|entered|gave) (in )?my password (in|into|on|to))\b/i,
  },
  {
    reason: 'server or infrastructure',
    tier: 3,
    pattern:
      /\b(servers?|domain controller|hypervisor|vmware|hyper-v|san|nas|servidor|serveur)\b|\b(firewall|switch|router)\b/i,
  },
  {
    reason: 'site-wide outage',
    tier: 3,
    pattern:
      /\b(outage|entire (office|site|company)|whole (office|site|company|building)|nobody|no one|everyone|everybody|all (users|staff|of us)|niemand|nadie|personne ne)\b/i,
  },
  {
    reason: 'data loss or backup',
    tier: 3,
    pattern: /\b(backup|data loss|lost (all|my) (files|data)|deleted .* (share|folder)|restore)\b/i,
  },
  {
    reason: 'lost or stolen device',
    tier: 3,
    pattern: /\b(stolen|theft|lost (my )?(laptop|phone|device))\b/i,
  },
];

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
      /\bverification code\b/i,
    ],
  },
  {
    category: 'software_access',
    patterns: [
      /licen[cs]|licencia|licentie|lizenz/i,
      /\bactivat(e|ion)\b|\bactiv[eé]\b/i,
      /\baccess (to|denied)\b|\bno access\b|\bpermission/i,
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
      /\bremote (access|desktop)\b/i,
      /\brdp\b/i,
      /\bwork(ing)? (from home|remotely)\b/i,
      /\b(forticlient|globalprotect|anyconnect|wireguard|sophos connect)\b/i,
    ],
  },
  {
    category: 'printer_peripheral',
    patterns: [
      /\bprint(er|ing|s)?\b|\bimpresora\b|\bimprim/i,
      /\bscan(ner|ning)?\b|\bescane/i,
      /\b(monitor|screen|beeldscherm|bildschirm|pantalla)\b/i,
      /\bkeyboard\b/i,
      /\bmouse\b/i,
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

const URGENT = /\b(urgent|asap|immediately|critical|emergency|right now|can'?t work|cannot work)\b/i;
const TEAM_IMPACT = /\b(team|department|several (people|users)|multiple users|whole floor)\b/i;

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

  const danger = DANGER.find((d) => d.pattern.test(text));
  if (danger) {
    reasons.push(`never automated: ${danger.reason}`);
    // A whole site down or an attack in progress is the top priority whatever the wording.
    const critical = danger.reason === 'site-wide outage' || danger.reason === 'security incident';
    if (critical) reasons.push(`${danger.reason}: P1`);
    return {
      category: 'engineering',
      priority: critical ? 'P1' : raise(priority),
      confidence: 0.95,
      route: 'escalate',
      tier: danger.tier,
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
