/**
 * The gateway's own bearer token: never interpolated into a config, allowlist or not. Its own
 * module, so that the CLI reads it without loading the client.
 */
export const TOKEN_VARIABLE = 'MCPMX_TOKEN';
