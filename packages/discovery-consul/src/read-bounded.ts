import { DiscoveryError } from '@mcpmx/core';

/**
 * Reads a response body as text, giving up (and cancelling the stream) once it grows past
 * `maxBytes`, so a misbehaving or hostile endpoint cannot make the client buffer without end.
 */
export async function readBounded(
  response: Response,
  maxBytes: number,
  source: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes, source);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes, source);
    }
    text += decoder.decode(value, { stream: true });
  }
}

function tooLarge(maxBytes: number, source: string): DiscoveryError {
  return new DiscoveryError(
    source,
    `Consul response body is larger than maxResponseBytes (${maxBytes} bytes); not read further`,
  );
}
