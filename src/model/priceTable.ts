// The bundled price table: list prices in USD per million tokens, standard
// (on-demand, non-batch) tier, shortest-context tier where a model has tiers.
// Sources and caveats are in docs/cost.md; bump PRICE_TABLE_VERSION whenever
// an entry changes, so exports say which table priced them. Every entry was
// checked (2026-12-04) against two independent machine-readable tables: the
// PyPI packages litellm (model_prices_and_context_window.json, 1.80.0 and
// 1.110.2) and genai-prices 0.2.3; `source` says where the price comes from.

export const PRICE_TABLE_VERSION = '2026-12-04';

/** Where the prices were checked (the `source` of each entry). */
const OPENAI = 'platform.openai.com/docs/pricing; litellm 1.110.2 and genai-prices 0.2.3 agree';
const ANTHROPIC = 'docs.anthropic.com pricing, aws.amazon.com/bedrock/pricing; litellm 1.110.2 (Bedrock ids) and genai-prices 0.2.3 agree';
const NOVA = 'aws.amazon.com/bedrock/pricing; litellm 1.110.2 and genai-prices 0.2.3 agree (cache write: input price, neither lists one)';
const GEMINI = 'ai.google.dev/gemini-api/docs/pricing; litellm 1.110.2 and genai-prices 0.2.3 agree';
const GEMINI_OLD = 'ai.google.dev/gemini-api/docs/pricing (model shut down); litellm 1.80.0 and genai-prices 0.2.3 agree';
const MISTRAL = 'mistral.ai/pricing; genai-prices 0.2.3 (dated id), litellm 1.80.0';
const MISTRAL_NEW = 'mistral.ai/pricing; litellm 1.110.2 and genai-prices 0.2.3 agree';

export interface PriceEntry {
  /** Canonical model id, the key `spanInspector.pricing` entries may point at with `as`. */
  model: string;
  provider: 'openai' | 'anthropic' | 'amazon' | 'google' | 'mistral';
  /** Other spellings of the same model after normalization (see pricing.ts candidates). */
  aliases?: string[];
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Reasoning ("thinking") output tokens, only where priced apart from output. */
  reasoning?: number;
  /** The date this price took effect (ISO date). */
  since: string;
  /** Where the price was read and which cross-checks agree (docs/cost.md). */
  source: string;
}

/**
 * Whether the provider's reported input tokens already include cached tokens.
 * OpenAI, Gemini and Mistral count cached tokens inside input tokens; the
 * Anthropic API and Bedrock (Converse, Claude and Nova) report them apart.
 */
export const INPUT_INCLUDES_CACHE: Record<PriceEntry['provider'], boolean> = {
  openai: true,
  google: true,
  mistral: true,
  anthropic: false,
  amazon: false,
};

export const PRICE_TABLE: readonly PriceEntry[] = [
  // ---- OpenAI (platform.openai.com/docs/pricing)
  { model: 'gpt-5', provider: 'openai', input: 1.25, cacheRead: 0.125, output: 10, since: '2025-08-07', source: OPENAI },
  { model: 'gpt-5-mini', provider: 'openai', input: 0.25, cacheRead: 0.025, output: 2, since: '2025-08-07', source: OPENAI },
  { model: 'gpt-5-nano', provider: 'openai', input: 0.05, cacheRead: 0.005, output: 0.4, since: '2025-08-07', source: OPENAI },
  { model: 'gpt-4.1', provider: 'openai', input: 2, cacheRead: 0.5, output: 8, since: '2025-04-14', source: OPENAI },
  { model: 'gpt-4.1-mini', provider: 'openai', input: 0.4, cacheRead: 0.1, output: 1.6, since: '2025-04-14', source: OPENAI },
  { model: 'gpt-4.1-nano', provider: 'openai', input: 0.1, cacheRead: 0.025, output: 0.4, since: '2025-04-14', source: OPENAI },
  { model: 'gpt-4o', provider: 'openai', input: 2.5, cacheRead: 1.25, output: 10, since: '2024-10-01', source: OPENAI },
  { model: 'gpt-4o-2024-05-13', provider: 'openai', input: 5, output: 15, since: '2024-05-13', source: OPENAI },
  { model: 'gpt-4o-mini', provider: 'openai', input: 0.15, cacheRead: 0.075, output: 0.6, since: '2024-10-01', source: OPENAI },
  { model: 'o3', provider: 'openai', input: 2, cacheRead: 0.5, output: 8, since: '2025-06-10', source: OPENAI },
  { model: 'o3-mini', provider: 'openai', input: 1.1, cacheRead: 0.55, output: 4.4, since: '2025-01-31', source: OPENAI },
  { model: 'o4-mini', provider: 'openai', input: 1.1, cacheRead: 0.275, output: 4.4, since: '2025-04-16', source: OPENAI },
  { model: 'o1', provider: 'openai', input: 15, cacheRead: 7.5, output: 60, since: '2024-12-17', source: OPENAI },

  // ---- Anthropic, direct API and Bedrock on-demand (same list prices;
  // docs.anthropic.com/en/docs/about-claude/pricing, aws.amazon.com/bedrock/pricing)
  { model: 'claude-opus-4-5', provider: 'anthropic', input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, since: '2025-11-24', source: ANTHROPIC },
  { model: 'claude-opus-4-1', provider: 'anthropic', input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5, since: '2025-08-05', source: ANTHROPIC },
  { model: 'claude-opus-4', provider: 'anthropic', aliases: ['claude-opus-4-0'], input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5, since: '2025-05-22', source: ANTHROPIC },
  { model: 'claude-sonnet-4-5', provider: 'anthropic', input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, since: '2025-09-29', source: ANTHROPIC },
  { model: 'claude-sonnet-4', provider: 'anthropic', aliases: ['claude-sonnet-4-0'], input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, since: '2025-05-22', source: ANTHROPIC },
  { model: 'claude-haiku-4-5', provider: 'anthropic', input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1, since: '2025-10-15', source: ANTHROPIC },
  { model: 'claude-3-7-sonnet', provider: 'anthropic', input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, since: '2025-02-24', source: ANTHROPIC },
  { model: 'claude-3-5-sonnet', provider: 'anthropic', input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, since: '2024-06-20', source: ANTHROPIC },
  { model: 'claude-3-5-haiku', provider: 'anthropic', input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08, since: '2024-11-04', source: ANTHROPIC },
  { model: 'claude-3-opus', provider: 'anthropic', input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5, since: '2024-03-04', source: ANTHROPIC },
  { model: 'claude-3-haiku', provider: 'anthropic', input: 0.25, output: 1.25, cacheWrite: 0.3, cacheRead: 0.03, since: '2024-03-13', source: ANTHROPIC },

  // ---- Amazon Nova on Bedrock, us-east-1 on-demand (aws.amazon.com/bedrock/pricing);
  // cached reads are billed at 25% of input, cache writes at the input price.
  { model: 'nova-premier', provider: 'amazon', input: 2.5, output: 12.5, cacheRead: 0.625, cacheWrite: 2.5, since: '2025-04-30', source: NOVA },
  { model: 'nova-pro', provider: 'amazon', input: 0.8, output: 3.2, cacheRead: 0.2, cacheWrite: 0.8, since: '2024-12-03', source: NOVA },
  { model: 'nova-lite', provider: 'amazon', input: 0.06, output: 0.24, cacheRead: 0.015, cacheWrite: 0.06, since: '2024-12-03', source: NOVA },
  { model: 'nova-micro', provider: 'amazon', input: 0.035, output: 0.14, cacheRead: 0.00875, cacheWrite: 0.035, since: '2024-12-03', source: NOVA },

  // ---- Google Gemini API, prompts up to 200k tokens (ai.google.dev/gemini-api/docs/pricing)
  { model: 'gemini-2.5-pro', provider: 'google', input: 1.25, output: 10, cacheRead: 0.125, since: '2025-06-17', source: GEMINI },
  { model: 'gemini-2.5-flash', provider: 'google', input: 0.3, output: 2.5, cacheRead: 0.03, since: '2025-06-17', source: GEMINI },
  { model: 'gemini-2.5-flash-lite', provider: 'google', input: 0.1, output: 0.4, cacheRead: 0.01, since: '2025-07-22', source: GEMINI },
  // The preview priced thinking apart from the answer.
  { model: 'gemini-2.5-flash-preview-04-17', provider: 'google', input: 0.15, output: 0.6, reasoning: 3.5, cacheRead: 0.0375, since: '2025-04-17', source: GEMINI_OLD },
  { model: 'gemini-2.0-flash', provider: 'google', input: 0.1, output: 0.4, cacheRead: 0.025, since: '2025-02-05', source: GEMINI_OLD },
  { model: 'gemini-2.0-flash-lite', provider: 'google', input: 0.075, output: 0.3, since: '2025-02-25', source: GEMINI_OLD },

  // ---- Mistral La Plateforme (mistral.ai/pricing)
  { model: 'mistral-large', provider: 'mistral', input: 2, output: 6, since: '2024-11-18', source: MISTRAL },
  { model: 'mistral-medium', provider: 'mistral', aliases: ['mistral-medium-3', 'mistral-medium-3-1'], input: 0.4, output: 2, cacheRead: 0.04, since: '2025-05-07', source: MISTRAL },
  { model: 'mistral-small', provider: 'mistral', input: 0.1, output: 0.3, cacheRead: 0.01, since: '2025-03-17', source: MISTRAL },
  { model: 'magistral-medium', provider: 'mistral', input: 2, output: 5, since: '2025-06-10', source: MISTRAL },
  { model: 'magistral-small', provider: 'mistral', input: 0.5, output: 1.5, since: '2025-06-10', source: MISTRAL },
  { model: 'codestral', provider: 'mistral', input: 0.3, output: 0.9, since: '2025-01-13', source: MISTRAL },
  { model: 'pixtral-large', provider: 'mistral', input: 2, output: 6, since: '2024-11-18', source: MISTRAL },
  { model: 'ministral-8b', provider: 'mistral', input: 0.1, output: 0.1, since: '2024-10-16', source: MISTRAL },
  { model: 'ministral-3b', provider: 'mistral', input: 0.04, output: 0.04, since: '2024-10-16', source: MISTRAL },
  // Newer models the `-latest` aliases moved to (mistral-medium-latest on
  // 2026-06-16, mistral-small-latest on 2026-03-16: both sources agree). For
  // mistral-large-latest they disagree (litellm: Large 3, genai-prices: Large
  // 2.1), so it keeps the Large 2.1 price above.
  { model: 'mistral-medium-3-5', provider: 'mistral', aliases: ['mistral-medium-latest', 'mistral-medium-2604'], input: 1.5, output: 7.5, cacheRead: 0.15, since: '2026-06-16', source: MISTRAL_NEW },
  { model: 'mistral-small-2603', provider: 'mistral', aliases: ['mistral-small-4', 'mistral-small-latest'], input: 0.15, output: 0.6, cacheRead: 0.015, since: '2026-03-16', source: MISTRAL_NEW },
  { model: 'mistral-large-3', provider: 'mistral', aliases: ['mistral-large-2512'], input: 0.5, output: 1.5, cacheRead: 0.05, since: '2025-12-02', source: MISTRAL_NEW },
  { model: 'open-mistral-nemo', provider: 'mistral', aliases: ['mistral-nemo'], input: 0.15, output: 0.15, since: '2024-07-18', source: MISTRAL },
];
