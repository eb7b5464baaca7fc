import { getBearerTokenProvider } from '@azure/identity';

import { AzureOpenAiChat } from '../adapters/llm/azureOpenAiChat';
import { GuardedAssistant } from '../adapters/llm/guardedAssistant';
import { JsonQueue } from '../adapters/queues/jsonQueue';
import { TableAssistantUsage } from '../adapters/tables/tableAssistantUsage';
import { Tables, ticketStartQueueName } from '../names';
import type { Assistant, AssistantUsageLedger } from '../ports/assistant';
import type { TicketWorkflowInput } from '../ports/ticketWorkflow';
import { managedIdentity } from './credentials';
import type { Storage } from './storage';

/** The scope Azure OpenAI takes Entra tokens for (role: Cognitive Services OpenAI User). */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * The assistant the settings describe, with its usage table; nothing when AUTOTIER_OPENAI_ENDPOINT
 * and AUTOTIER_OPENAI_DEPLOYMENT are unset. An API key locally, the managed identity in Azure.
 */
export async function assistantFromConfig(
  storage: Storage,
  now: () => Date,
): Promise<{
  assistant?: Assistant;
  assistantUsage?: AssistantUsageLedger;
  startTicket?: (input: TicketWorkflowInput) => Promise<void>;
}> {
  const { openai } = storage.config;
  if (!openai) return {};
  const usage = new TableAssistantUsage(storage.table(Tables.assistantUsage));
  const starts = new JsonQueue<TicketWorkflowInput>(
    storage.queue(ticketStartQueueName(storage.config.intakeQueue)),
  );
  await Promise.all([usage.ensureTable(), starts.ensureQueue()]);
  const chat = new AzureOpenAiChat({
    endpoint: openai.endpoint,
    deployment: openai.deployment,
    apiVersion: openai.apiVersion,
    timeoutMs: openai.timeoutMs,
    ...(openai.apiKey
      ? { apiKey: openai.apiKey }
      : {
          tokenProvider: getBearerTokenProvider(managedIdentity(storage.config), COGNITIVE_SERVICES_SCOPE),
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
