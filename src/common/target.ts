// What the panel opens and the commands act on: a session of a backend, and
// optionally one span of it. One type for the panel, navigation and commands.
import type { Session } from '../model/types';

export interface Target {
  backendId: string;
  session: Session;
  spanKey?: string;
}
