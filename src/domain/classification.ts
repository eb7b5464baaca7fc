import { AUTOMATABLE, type Category } from './categories';
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
      /\b(server|domain controller|active directory server|hypervisor|vmware|hyper-v|san|nas)\b.*\b(down|offline|crash\w*|not responding|unreachable|fail\w*)\b|\b(firewall|switch|router)\b/i,
  },
  {
    reason: 'site-wide outage',
    tier: 3,
    pattern:
      /\b(outage|entire (office|site|company)|whole (office|site|company)|nobody can|no one can|everyone (is|can)|all users)\b/i,
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
      /\blocked out\b/i,
      /\block(ed)? ?out\b/i,
      /\baccount (is )?locked\b/i,
      /\bmfa\b/i,
      /\bauthenticator\b/i,
      /\bsign[- ]?in\b.*\b(fail|can'?t|cannot)\b/i,
      /\bcontraseña\b/i,
      /\bmot de passe\b/i,
      /\bpasswort\b/i,
      /\breset\b/i,
    ],
  },
  {
    category: 'software_access',
    patterns: [
      /\blicen[cs]e\b/i,
      /\baccess to\b/i,
      /\bpermission/i,
      /\bneed (access|adobe|visio|project)\b/i,
      /\binstall\b/i,
      /\bshared (mailbox|drive|folder)\b/i,
      /\bteams? channel\b/i,
    ],
  },
  {
    category: 'vpn_remote_access',
    patterns: [
      /\bvpn\b/i,
      /\bremote (access|desktop)\b/i,
      /\brdp\b/i,
      /\bwork(ing)? from home\b/i,
      /\bforticlient|globalprotect|anyconnect|wireguard\b/i,
    ],
  },
  {
    category: 'printer_peripheral',
    patterns: [
      /\bprint(er|ing)?\b/i,
      /\bscanner?\b/i,
      /\bmonitor\b/i,
      /\bkeyboard\b/i,
      /\bmouse\b/i,
      /\bheadset\b/i,
      /\bdocking station|dock\b/i,
      /\bwebcam\b/i,
    ],
  },
  {
    category: 'software_error',
    patterns: [
      /\berror\b/i,
      /\bcrash(es|ed|ing)?\b/i,
      /\bnot responding\b/i,
      /\bfreez(es|ing)\b/i,
      /\boutlook\b/i,
      /\bexcel\b/i,
      /\bword\b/i,
      /\bwon'?t (open|start|load)\b/i,
    ],
  },
];

const URGENT = /\b(urgent|asap|immediately|critical|emergency|right now|can'?t work|cannot work)\b/i;
const TEAM_IMPACT = /\b(team|department|several (people|users)|multiple users|whole floor)\b/i;

/**
 * First-pass classifier: ordered keyword rules with a safety screen in front. Confidence reflects
 * how clearly one category wins. The trained model (see the classification issue) replaces the
 * scoring; the safety screen stays in front of any model.
 */
export function classifyTicket(subject: string, body: string, autoThreshold = 0.6): Classification {
  const text = `${subject}\n${body}`;
  const reasons: string[] = [];
  const priority = priorityOf(text, reasons);

  const danger = DANGER.find((d) => d.pattern.test(text));
  if (danger) {
    reasons.push(`never automated: ${danger.reason}`);
    return {
      category: 'engineering',
      priority: raise(priority),
      confidence: 0.95,
      route: 'escalate',
      tier: danger.tier,
      reasons,
    };
  }

  const scores = RULES.map((rule) => ({
    category: rule.category,
    hits: rule.patterns.filter((p) => p.test(text)).length,
  })).sort((a, b) => b.hits - a.hits);
  const best = scores[0];
  const second = scores[1];
  if (!best || best.hits === 0) {
    reasons.push('no known tier-1 pattern matched');
    return { category: 'engineering', priority, confidence: 0.5, route: 'escalate', tier: 2, reasons };
  }
  const margin = best.hits - (second?.hits ?? 0);
  const confidence = Math.min(0.95, 0.55 + 0.15 * margin + 0.05 * (best.hits - 1));
  reasons.push(`matched ${best.hits} ${best.category} pattern(s)`);
  const automatable = AUTOMATABLE.has(best.category) && confidence >= autoThreshold;
  if (!automatable) reasons.push(`confidence ${confidence.toFixed(2)} below threshold ${autoThreshold}`);
  return {
    category: best.category,
    priority,
    confidence,
    route: automatable ? 'auto' : 'escalate',
    tier: automatable ? 1 : 2,
    reasons,
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
