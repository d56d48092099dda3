import { runAs, type Actor } from '../audit/actor';

/** Server code acting on someone's behalf: history and authorship name `actor`, not the request's user. */
const actor = () => ({
  runAs: <T>(who: Actor, work: () => Promise<T>): Promise<T> => runAs(who, work),
});

export type ActorService = ReturnType<typeof actor>;
export default actor;
