import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/**
 * Keeps the last `limit` SSE events of one session so that a client reconnecting with
 * `Last-Event-ID` gets what it missed (the server-sse-polling scenario).
 */
export function createMemoryEventStore(limit = 1000): EventStore {
  const events = new Map<EventId, { streamId: StreamId; message: JSONRPCMessage }>();
  let sequence = 0;
  return {
    async storeEvent(streamId, message) {
      sequence += 1;
      const eventId = `${streamId}_${sequence}`;
      events.set(eventId, { streamId, message });
      if (events.size > limit) {
        const oldest = events.keys().next().value;
        if (oldest !== undefined) events.delete(oldest);
      }
      return eventId;
    },
    async getStreamIdForEventId(eventId) {
      return events.get(eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const last = events.get(lastEventId);
      if (!last) return '';
      let after = false;
      for (const [eventId, event] of events) {
        if (eventId === lastEventId) after = true;
        else if (after && event.streamId === last.streamId) await send(eventId, event.message);
      }
      return last.streamId;
    },
  };
}
