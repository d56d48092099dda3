/** One event of a server-sent event stream: its `event:` name and `data:` line. */
export interface SseEvent {
  event?: string;
  data?: string;
}

/**
 * Reads a server-sent event stream as text arrives (any chunking): each call returns the events
 * completed so far. Used by the panel's live feed and the tests that read it.
 */
export function sseParser(): (chunk: string) => SseEvent[] {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    const events: SseEvent[] = [];
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      events.push({ event: /^event: (.*)$/m.exec(frame)?.[1], data: /^data: (.*)$/m.exec(frame)?.[1] });
    }
    return events;
  };
}
