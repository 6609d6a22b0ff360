import { TRANSPORT_KIND_NAMES, TRANSPORT_KINDS, transportKindOf } from '@mcpmx/core';
import { z } from 'zod';
import { authSchema } from './auth-schema.js';
import { gatewaySchema } from './gateway-schema.js';

/**
 * The schemas of an `mcpServers` config: one per shape (a replica entry, a server, a discovery
 * block, the document), each key's expectation worded once. The types in config-types.ts are
 * inferred from them. Values are checked as written; interpolation and what depends on it
 * (an empty command, the URL's scheme) come after, in parse-config.ts.
 */

/** Assigning to this key would replace an object's prototype instead of adding an entry. */
export const PROTO_KEY = '__proto__';

/** An object's own error words only its type; other issues (unknown keys) keep their wording. */
const objectError = (expected: string) => ({
  error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_type' ? expected : undefined),
});

const nonEmptyString = z
  .string({ error: 'a non-empty string' })
  .refine((value) => value.trim() !== '', { error: 'a non-empty string' });

/** Checked as a whole: a hole in a sparse array is a wrong array, not a wrong element. */
const stringArray = z
  .custom<string[]>(
    (value) => {
      if (!Array.isArray(value)) return false;
      // An index loop, not every(): every() skips the holes of a sparse array.
      for (let index = 0; index < value.length; index++) {
        if (typeof value[index] !== 'string') return false;
      }
      return true;
    },
    { error: 'an array of strings' },
  )
  .transform((value) => [...value]);

/** String values by key; `__proto__` is refused (a record would drop it without a word). */
const stringRecord = z.intersection(
  z.unknown().superRefine((value, context) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, PROTO_KEY)) {
      context.addIssue({
        code: 'custom',
        message: `a key other than "${PROTO_KEY}"`,
        path: [PROTO_KEY],
        params: { found: PROTO_KEY },
        continue: true,
      });
    }
  }),
  z.record(z.string(), z.string({ error: 'a string' }), objectError('an object of strings')),
);

const positiveNumber = z.number({ error: 'a number > 0' }).positive({ error: 'a number > 0' });
const flag = z.boolean({ error: 'true or false' });

const TRANSPORT_NAMES = TRANSPORT_KIND_NAMES.flatMap((kind) => TRANSPORT_KINDS[kind].aliases);
const transportName = z
  .string({ error: `one of ${TRANSPORT_NAMES.map((name) => `"${name}"`).join(', ')}` })
  .refine((name) => transportKindOf(name) !== undefined, {
    error: `one of ${TRANSPORT_NAMES.map((name) => `"${name}"`).join(', ')}`,
  });

/** The keys of one replica (or of a server without `replicas`). */
const entryShape = {
  command: nonEmptyString.optional(),
  args: stringArray.optional(),
  env: stringRecord.optional(),
  cwd: z.string({ error: 'a string' }).optional(),
  envFile: z.string({ error: 'a path string' }).optional(),
  url: z.string({ error: 'a URL string' }).optional(),
  headers: stringRecord.optional(),
  type: transportName.optional(),
  transport: transportName.optional(),
  tags: stringArray.optional(),
  weight: positiveNumber.optional(),
  metadata: stringRecord.optional(),
  disabled: flag.optional(),
};

export const replicaSchema = z.strictObject(
  entryShape,
  objectError('an object with "command" or "url"'),
);

/** `{ "allow": [...], "deny": [...] }`: glob patterns (`*`, `?`) on a server's own names. */
const nameFilter = z.strictObject(
  { allow: stringArray.optional(), deny: stringArray.optional() },
  objectError('an object with "allow" and/or "deny", each an array of glob patterns'),
);

const hint = z.boolean({ error: 'true or false' }).optional();

/** What a tool looks like to callers, in place of what its server says. */
const toolOverride = z.strictObject(
  {
    name: z
      .string({ error: 'a tool name' })
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, { error: 'a tool name of 1 to 64 letters, digits, _ or -' })
      .optional(),
    title: z.string({ error: 'a string' }).optional(),
    description: z.string({ error: 'a string' }).optional(),
    annotations: z
      .strictObject(
        {
          title: z.string({ error: 'a string' }).optional(),
          readOnlyHint: hint,
          destructiveHint: hint,
          idempotentHint: hint,
          openWorldHint: hint,
        },
        objectError('an object of tool annotations (readOnlyHint, idempotentHint, ...)'),
      )
      .optional(),
  },
  objectError('an object with "name", "title", "description" and/or "annotations"'),
);

/** Per-server settings, with their defaults: what the client reads for routing. */
const serverSettingsShape = {
  /** Which of the server's tools callers see: globs on its own tool names. */
  tools: nameFilter.optional(),
  /** Which of its prompts: globs on prompt names. */
  prompts: nameFilter.optional(),
  /** Which of its resources and templates: globs on URIs (and URI templates). */
  resources: nameFilter.optional(),
  /** Per tool (its own name): a name, title, description or annotations of your own. */
  overrides: z
    .record(z.string(), toolOverride, objectError('an object of tool overrides by tool name'))
    .optional(),
  /** Tag groups for fan-out. */
  tags: stringArray.default(() => []),
  /** Calls stick to one replica (consistent hashing by session). */
  stateful: flag.default(false),
  /** Tools that are safe to retry even without an idempotentHint. */
  idempotentTools: stringArray.default(() => []),
  /** Default per-call timeout for this server. */
  timeoutMs: positiveNumber.optional(),
  /** How mcpmx logs in to it (see auth-schema.ts). */
  auth: authSchema.optional(),
};
export const serverSettingsSchema = z.object(serverSettingsShape);

export const serverSchema = z.strictObject(
  {
    ...entryShape,
    ...serverSettingsShape,
    replicas: z
      .array(replicaSchema, objectError('a non-empty array of replicas'))
      .min(1, { error: 'a non-empty array of replicas' })
      .optional(),
    description: z.string({ error: 'a string' }).optional(),
    /**
     * VS Code's development mode (`watch` to restart on file changes, `debug` to attach a
     * debugger): editor-only, so accepted and ignored, and a VS Code config works as it is.
     */
    dev: z
      .looseObject({}, { error: 'an object (VS Code\'s "watch" and "debug" settings)' })
      .optional(),
  },
  objectError('an object with "command" or "url"'),
);

/** A discovery block, kept as data: the app picks the package that implements `type`. */
export const discoveryBlockSchema = z.looseObject(
  { type: z.string({ error: 'a string such as "dns"' }) },
  objectError('an object with a "type" such as "dns"'),
);

/** An input id: what `${input:ID}` names. */
export const INPUT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** One entry of VS Code's `inputs`: a value asked for once, named by `${input:ID}`. */
export const inputSchema = z.strictObject(
  {
    type: z.literal('promptString', {
      error: '"promptString" (the only kind of input mcpmx can ask for)',
    }),
    id: z
      .string({ error: 'an id of 1-64 letters, digits, "_", "-" or "."' })
      .regex(INPUT_ID, { error: 'an id of 1-64 letters, digits, "_", "-" or "."' }),
    description: z.string({ error: 'a string' }).optional(),
    password: flag.optional(),
    default: z.string({ error: 'a string' }).optional(),
  },
  objectError('an object with "type", "id" and "description"'),
);

const serversRecord = z.record(z.string(), z.unknown(), objectError('an object of servers'));

/**
 * The keys this package reads at the top level of a config. `servers` is VS Code's name for
 * `mcpServers` (`.vscode/mcp.json`); a config has one of the two.
 */
export const documentShape = {
  mcpServers: serversRecord.optional(),
  servers: serversRecord.optional(),
  inputs: z.array(z.unknown(), objectError('an array of inputs')).optional(),
  discovery: z.array(z.unknown(), objectError('an array of discovery blocks')).optional(),
  gateway: gatewaySchema.optional(),
};
