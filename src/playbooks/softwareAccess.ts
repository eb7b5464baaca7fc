import type { AccessProduct } from '../domain/client';
import { accessGrantedGuide } from '../domain/guides';
import {
  accessDecision,
  PLAYBOOK_CONTRACTS,
  type PlaybookAction,
  type PlaybookOutcome,
  productsNamed,
} from '../domain/playbook';
import type { DirectoryUser } from '../ports/directory';
import { bestGuide } from './guides';
import {
  audited,
  escalate,
  identify,
  orEscalate,
  type Playbook,
  type PlaybookContext,
  ticketText,
} from './playbook';

const PERSON_WILL_FOLLOW_UP = 'One of our engineers will follow up with you.';

/**
 * Access and licences: the product named in the request, mapped per client to a licence SKU or a
 * group, granted only when the client's catalogue allows it without approval and a seat is free.
 */
export const softwareAccessPlaybook: Playbook = {
  contract: PLAYBOOK_CONTRACTS.software_access,
  async run(ctx) {
    const policy = ctx.client.access;
    const directory = ctx.directory;
    if (!policy || !directory) {
      const guide = bestGuide(ctx, 'software_access');
      if (!guide) return escalate('there is no access guide', PERSON_WILL_FOLLOW_UP);
      return {
        kind: 'guide',
        guide,
        findings: [
          'The client has no product catalogue or directory connection, so nothing was granted; sent the access steps.',
        ],
        actions: [],
      };
    }
    const named = productsNamed(policy.products, ticketText(ctx.ticket));
    const catalogue = policy.products.map((p) => p.product).join(', ');
    if (named.length === 0)
      return escalate(
        `the request names no product in the client's catalogue (${catalogue || 'empty'}), so it is not on the list automation may grant`,
        "We couldn't tell which app you need access to, so one of our engineers will follow up with you.",
      );
    if (named.length > 1)
      return escalate(
        `the request names several products (${named.map((p) => p.product).join(', ')}); a person should confirm what is needed`,
        PERSON_WILL_FOLLOW_UP,
      );
    const product = named[0]!;
    const findings = [
      `Requested product: ${product.product} (${product.sku ? `licence ${product.sku}` : `group ${product.groupId ?? 'none'}`}${product.monthlyCost !== undefined ? `, ${product.monthlyCost} a month` : ''}).`,
    ];
    const decision = accessDecision(product, policy);
    if (!decision.allowed) return escalate(decision.reason, decision.told, findings);
    return orEscalate(findings, async () => {
      const who = await identify(directory, ctx.ticket, findings);
      if ('outcome' in who) return who.outcome;
      if (product.sku) return grantLicence(ctx, product, product.sku, who.user, findings);
      if (product.groupId) return grantGroup(ctx, product, product.groupId, who.user, findings);
      return escalate(
        `the catalogue entry for ${product.product} names neither a licence nor a group`,
        PERSON_WILL_FOLLOW_UP,
        findings,
      );
    });
  },
};

const why = (ctx: PlaybookContext, product: AccessProduct) =>
  `Access to ${product.product} requested in ${ctx.ticket.ticketId} ("${ctx.ticket.subject}"); self-service in the client's catalogue${product.monthlyCost !== undefined ? ` at ${product.monthlyCost} a month, within the approval limit` : ''}.`;

async function grantLicence(
  ctx: PlaybookContext,
  product: AccessProduct,
  partNumber: string,
  user: DirectoryUser,
  findings: string[],
): Promise<PlaybookOutcome> {
  const directory = ctx.directory!;
  const sku = (await directory.subscribedSkus()).find(
    (s) => s.skuPartNumber.toLowerCase() === partNumber.toLowerCase(),
  );
  if (!sku)
    return escalate(
      `the client's tenant has no ${partNumber} subscription for ${product.product}`,
      PERSON_WILL_FOLLOW_UP,
      findings,
    );
  if (user.assignedSkuIds.includes(sku.skuId)) {
    findings.push(`${user.userPrincipalName} already has ${partNumber}.`);
    return { kind: 'guide', guide: accessGrantedGuide(product.product, true), findings, actions: [] };
  }
  findings.push(`${partNumber}: ${sku.consumed} of ${sku.enabled} seats in use.`);
  if (sku.enabled - sku.consumed <= 0)
    return escalate(
      `no free ${product.product} licence (${partNumber}: ${sku.consumed} of ${sku.enabled} in use); buy a seat or free one`,
      `All of your organisation's ${product.product} licences are in use, so one of our engineers will arrange one for you.`,
      findings,
    );
  const action: PlaybookAction = {
    action: 'licence_assigned',
    target: user.userPrincipalName,
    detail: `${partNumber} (${sku.skuId})`,
  };
  await audited(ctx, `${ctx.step}-licence`, { ...action, reason: why(ctx, product) }, () =>
    directory.assignLicence(user.id, sku.skuId),
  );
  findings.push(`Assigned ${partNumber} to ${user.userPrincipalName}.`);
  return { kind: 'guide', guide: accessGrantedGuide(product.product, false), findings, actions: [action] };
}

async function grantGroup(
  ctx: PlaybookContext,
  product: AccessProduct,
  groupId: string,
  user: DirectoryUser,
  findings: string[],
): Promise<PlaybookOutcome> {
  const action: PlaybookAction = {
    action: 'group_member_added',
    target: user.userPrincipalName,
    detail: `group ${groupId} (${product.product})`,
  };
  const result = await audited(ctx, `${ctx.step}-group`, { ...action, reason: why(ctx, product) }, () =>
    ctx.directory!.addGroupMember(groupId, user.id),
  );
  findings.push(
    result === 'added'
      ? `Added ${user.userPrincipalName} to group ${groupId}.`
      : `${user.userPrincipalName} was already in group ${groupId}.`,
  );
  return {
    kind: 'guide',
    guide: accessGrantedGuide(product.product, result === 'already'),
    findings,
    actions: result === 'added' ? [action] : [],
  };
}
