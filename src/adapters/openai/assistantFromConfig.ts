import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';

import type { OpenAiConfig } from '../../config';
import type { Assistant, AssistantUsageLedger } from '../../ports/assistant';
import type { TicketWorkflowInput } from '../../ports/ticketWorkflow';
import { JsonQueue } from '../queues/jsonQueue';
import { createQueueClient, createTableClient, type StorageConnection } from '../tables/storageClients';
import { TableAssistantUsage } from '../tables/tableAssistantUsage';
import { tableName } from '../tables/tableNames';
import { AzureOpenAiChat } from './azureOpenAiChat';
import { GuardedAssistant } from './guardedAssistant';

/** The scope Azure OpenAI takes Entra tokens for (role: Cognitive Services OpenAI User). */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Tickets the assistant filed (a new issue in a reply) wait here for their workflow to start. */
export const ticketStartQueue = (intakeQueue: string) => `${intakeQueue}-start`;

/**
 * The assistant the settings describe, with its usage table; nothing when AUTOTIER_OPENAI_ENDPOINT
 * and AUTOTIER_OPENAI_DEPLOYMENT are unset. An API key locally, the managed identity in Azure.
 */
export async function assistantFromConfig(
  openai: OpenAiConfig | undefined,
  storage: StorageConnection,
  names: { tablePrefix: string; intakeQueue: string },
  now: () => Date,
): Promise<{
  assistant?: Assistant;
  assistantUsage?: AssistantUsageLedger;
  startTicket?: (input: TicketWorkflowInput) => Promise<void>;
}> {
  if (!openai) return {};
  const usage = new TableAssistantUsage(
    createTableClient(storage, tableName(names.tablePrefix, 'AssistantUsage')),
  );
  const starts = new JsonQueue<TicketWorkflowInput>(
    createQueueClient(storage, ticketStartQueue(names.intakeQueue)),
  );
  await Promise.all([usage.ensureTable(), starts.ensureQueue()]);
  const clientId = process.env.AZURE_CLIENT_ID;
  const chat = new AzureOpenAiChat({
    endpoint: openai.endpoint,
    deployment: openai.deployment,
    apiVersion: openai.apiVersion,
    timeoutMs: openai.timeoutMs,
    ...(openai.apiKey
      ? { apiKey: openai.apiKey }
      : {
          tokenProvider: getBearerTokenProvider(
            new DefaultAzureCredential(clientId ? { managedIdentityClientId: clientId } : {}),
            COGNITIVE_SERVICES_SCOPE,
          ),
        }),
  });
  return {
    assistant: new GuardedAssistant({ chat, usage, dailyTokens: openai.dailyTokens, now }),
    assistantUsage: usage,
    startTicket: async (input) => {
      await starts.send(input);
    },
  };
}
