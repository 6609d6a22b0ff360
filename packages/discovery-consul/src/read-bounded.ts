import { ConsulDiscoveryError } from './errors.js';

/**
 * Reads a response body as text, giving up (and cancelling the stream) once it grows past
 * `maxBytes`, so a misbehaving or hostile endpoint cannot make the client buffer without end.
 */
export async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(maxBytes);
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
      throw tooLarge(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
}

function tooLarge(maxBytes: number): ConsulDiscoveryError {
  return new ConsulDiscoveryError(
    `Consul response body is larger than maxResponseBytes (${maxBytes} bytes); not read further`,
  );
}
