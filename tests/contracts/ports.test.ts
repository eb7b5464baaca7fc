/**
 * The port contracts, run against the in-memory fakes the unit tests use and against the Table
 * adapters on Azurite, so the fakes cannot drift from the real thing. A new port with a fake gets
 * a `<port>.contract.ts` here and two lines below.
 */
import { describe } from 'node:test';

import { TableAssistantUsage } from '../../src/adapters/tables/tableAssistantUsage';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { TableClientStore } from '../../src/adapters/tables/tableClientStore';
import { TableOutcomeLog } from '../../src/adapters/tables/tableOutcomeLog';
import { TableResolutionLog } from '../../src/adapters/tables/tableResolutionLog';
import { TableTicketStore } from '../../src/adapters/tables/tableTicketStore';
import { TableTokenStore } from '../../src/adapters/tables/tableTokenStore';
import {
  InMemoryTicketStore,
  MemoryAudit,
  MemoryClients,
  MemoryOutcomes,
  MemoryResolutions,
  MemoryTokens,
} from '../support/fakes';
import { MemoryAssistantUsage } from '../support/memoryAssistantUsage';
import { freshTable } from '../support/storage';
import { assistantUsageContract } from './assistantUsage.contract';
import { outcomeLogContract } from './outcomeLog.contract';
import {
  auditLogContract,
  clientStoreContract,
  resolutionLogContract,
  tokenStoreContract,
} from './smallStores.contract';
import { ticketStoreContract } from './ticketStore.contract';

const empty =
  <T>(make: () => T) =>
  () =>
    Promise.resolve(make());

describe('TicketStore: InMemoryTicketStore', () =>
  ticketStoreContract(empty(() => new InMemoryTicketStore())));
describe('TicketStore: TableTicketStore', () =>
  ticketStoreContract(async () => new TableTicketStore(await freshTable('tickets'))));

describe('OutcomeLog: MemoryOutcomes', () => outcomeLogContract(empty(() => new MemoryOutcomes())));
describe('OutcomeLog: TableOutcomeLog', () =>
  outcomeLogContract(async () => new TableOutcomeLog(await freshTable('outcomes'))));

describe('ClientStore: MemoryClients', () =>
  clientStoreContract(
    empty(() => {
      // The fake starts with the demo client for the unit tests' convenience; the contract starts empty.
      const clients = new MemoryClients();
      clients.profiles.clear();
      return clients;
    }),
  ));
describe('ClientStore: TableClientStore', () =>
  clientStoreContract(async () => new TableClientStore(await freshTable('clients'))));

describe('AuditLog: MemoryAudit', () => auditLogContract(empty(() => new MemoryAudit())));
describe('AuditLog: TableAuditLog', () =>
  auditLogContract(async () => new TableAuditLog(await freshTable('audit'))));

describe('ResolutionLog: MemoryResolutions', () =>
  resolutionLogContract(empty(() => new MemoryResolutions())));
describe('ResolutionLog: TableResolutionLog', () =>
  resolutionLogContract(async () => new TableResolutionLog(await freshTable('resolutions'))));

describe('TokenStore: MemoryTokens', () => tokenStoreContract(empty(() => new MemoryTokens())));
describe('TokenStore: TableTokenStore', () =>
  tokenStoreContract(async () => new TableTokenStore(await freshTable('tokens'))));

describe('AssistantUsageLedger: MemoryAssistantUsage', () =>
  assistantUsageContract(empty(() => new MemoryAssistantUsage())));
describe('AssistantUsageLedger: TableAssistantUsage', () =>
  assistantUsageContract(async () => new TableAssistantUsage(await freshTable('assistantusage'))));
