/**
 * The few limits of the real server's dynamic config this server applies, set as `temporal
 * server start-dev` sets them: `--dynamic-config-value KEY=VALUE` (VALUE in YAML/JSON, e.g. 1024
 * or true). Other keys are accepted and ignored, as before.
 */
export interface Limits {
  /** A payload larger than this fails its workflow task (and terminates the run), or its request. */
  blobSizeError: number;
  /** A workflow task started at or past these is told to continue as new. */
  historyCountSuggestContinueAsNew: number;
  historySizeSuggestContinueAsNew: number;
}

/** The real server's defaults. */
const DEFAULTS: Limits = {
  blobSizeError: 2 * 1024 * 1024,
  historyCountSuggestContinueAsNew: 4 * 1024,
  historySizeSuggestContinueAsNew: 4 * 1024 * 1024,
};

const KEYS: Record<string, keyof Limits> = {
  'limit.blobsize.error': 'blobSizeError',
  'limit.historycount.suggestcontinueasnew': 'historyCountSuggestContinueAsNew',
  'limit.historysize.suggestcontinueasnew': 'historySizeSuggestContinueAsNew',
};

/** 'limit.blobSize.error=1024' -> ['limit.blobSize.error', 1024]. Throws on a flag without '='. */
export function parseDynamicConfigFlag(flag: string): [string, unknown] {
  const at = flag.indexOf('=');
  if (at <= 0) throw new Error(`--dynamic-config-value ${flag}: expected KEY=VALUE`);
  const raw = flag.slice(at + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare YAML string
  }
  return [flag.slice(0, at).trim(), value];
}

/** The limits, from the defaults and the given dynamic config values (keys case-insensitive, as the real server's). */
export function limitsFrom(values: Record<string, unknown> = {}): Limits {
  const limits = { ...DEFAULTS };
  for (const [key, value] of Object.entries(values)) {
    const field = KEYS[key.toLowerCase()];
    if (!field) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`dynamic config ${key}: expected a non-negative number, got ${JSON.stringify(value)}`);
    limits[field] = value;
  }
  return limits;
}

/** Approximate encoded size of Payloads (or of a map of them): data and metadata bytes. */
export function payloadsSize(payloads: { payloads?: { data?: Uint8Array; metadata?: Record<string, Uint8Array> }[] } | undefined | null): number {
  let size = 0;
  for (const p of payloads?.payloads ?? []) {
    size += p.data?.length ?? 0;
    for (const [key, value] of Object.entries(p.metadata ?? {})) size += key.length + (value?.length ?? 0);
  }
  return size;
}
