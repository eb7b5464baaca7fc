/**
 * The histories the Durable extension writes for the conformance orchestrators
 * (tests/fixtures/durable-app/conformance.ts), episode by episode, written by hand from the
 * extension's rules (see extensionHistory.ts). Each returns the episodes cumulatively, so a test
 * can replay after each one and the local engine's own history can be compared with the last.
 */
import { TICKET_EVENT } from '../../src/domain/lifecycle';
import { days, ExtensionHistory } from './extensionHistory';

const SECOND = 1000;

/** A history being written, and a copy of it after each episode. */
function recorder(t0: number) {
  const h = new ExtensionHistory(new Date(t0));
  const out: ExtensionHistory[] = [];
  const snap = () => out.push(Object.assign(new ExtensionHistory(new Date(t0)), { events: [...h.events] }));
  return { h, out, snap, t: (ms: number) => new Date(t0 + ms) };
}

export function rawLongTimerHistory(t0: number): ExtensionHistory[] {
  const { h, out, snap, t } = recorder(t0);
  h.episode(t(0))
    .started('rawLongTimer', null)
    .timerCreated(0, t(days(3)))
    .completed();
  snap();
  // Day 1: the answer; the 7-day timer is cancelled and a 4-day timer starts.
  h.episode(t(days(1)))
    .eventRaised('answer', { answer: 'ok' })
    .timerCreated(1, t(days(5)))
    .completed();
  snap();
  // Day 3: the cancelled timer's first hop fires anyway; the host schedules no further hop.
  h.episode(t(days(3)))
    .timerFired(0, t(days(3)))
    .completed();
  snap();
  // Day 5: the 4-day timer fires; the activity is task 2 to the host.
  h.episode(t(days(5)))
    .timerFired(1, t(days(5)))
    .taskScheduled(2, 'echo')
    .completed();
  snap();
  h.episode(t(days(5) + SECOND))
    .taskCompleted(2, 'finished')
    .completed();
  snap();
  return out;
}

export const REPLY = { kind: 'reply', from: 'sam@demo.example', text: 'thanks!' };
export const REPLY2 = { kind: 'reply', from: 'sam@demo.example', text: 'one more thing' };

/** Two replies on day 1 (in one episode), then the 7-day window ends through 3-day hops. */
export function inboxWindowHistory(t0: number): ExtensionHistory[] {
  const { h, out, snap, t } = recorder(t0);
  const end = t(days(7));
  // The window is past the 3-day horizon: a hop timer.
  h.episode(t(0))
    .started('inboxWindow', { end: end.toISOString() })
    .timerCreated(0, t(days(3)))
    .completed();
  snap();
  // Day 1: two replies arrive together; the first is recorded, the hop timer cancelled.
  h.episode(t(days(1)))
    .eventRaised(TICKET_EVENT, REPLY)
    .eventRaised(TICKET_EVENT, REPLY2)
    .taskScheduled(1, 'echo')
    .completed();
  snap();
  // The second reply is already there: a hop timer is created (and cancelled) by the wait that
  // takes it at once, and it is recorded.
  h.episode(t(days(1) + SECOND))
    .taskCompleted(1, REPLY)
    .timerCreated(2, t(days(4) + SECOND))
    .taskScheduled(3, 'echo')
    .completed();
  snap();
  h.episode(t(days(1) + 2 * SECOND))
    .taskCompleted(3, REPLY2)
    .timerCreated(4, t(days(4) + 2 * SECOND))
    .completed();
  snap();
  // Day 3 and day 4: the cancelled hops fire and change nothing.
  h.episode(t(days(3)))
    .timerFired(0, t(days(3)))
    .completed();
  snap();
  h.episode(t(days(4) + SECOND))
    .timerFired(2, t(days(4) + SECOND))
    .completed();
  snap();
  // The live hop fires: within the horizon now, so a timer for the window's end itself.
  h.episode(t(days(4) + 2 * SECOND))
    .timerFired(4, t(days(4) + 2 * SECOND))
    .timerCreated(5, end)
    .completed();
  snap();
  h.episode(end).timerFired(5, end).taskScheduled(6, 'echo').completed();
  snap();
  h.episode(t(days(7) + SECOND))
    .taskCompleted(6, 'closed')
    .completed();
  snap();
  return out;
}

/** Three failed attempts (5 s, 10 s and 20 s apart: a retry timer follows the last one too). */
export function retryThenHandOverHistory(t0: number): ExtensionHistory[] {
  const { h, out, snap, t } = recorder(t0);
  h.episode(t(0))
    .started('retryThenHandOver', { key: 'k', failTimes: 9 })
    .taskScheduled(0, 'flaky')
    .completed();
  snap();
  const delays = [5, 10, 20];
  let at = 0;
  for (const [i, delay] of delays.entries()) {
    const task = 2 * i;
    h.episode(t(at * SECOND))
      .taskFailed(task, `flaky failure ${i + 1}`)
      .timerCreated(task + 1, t((at + delay) * SECOND))
      .completed();
    snap();
    at += delay;
    // The next attempt is a new task; after the last, the orchestrator's hand-over is.
    h.episode(t(at * SECOND))
      .timerFired(task + 1, t(at * SECOND))
      .taskScheduled(task + 2, i < delays.length - 1 ? 'flaky' : 'echo')
      .completed();
    snap();
  }
  h.episode(t(at * SECOND))
    .taskCompleted(2 * delays.length, 'handed over')
    .completed();
  snap();
  return out;
}
