/** Someone an internal note can mention: an agent, by name. */
export interface Mentionable {
  id: number;
  username: string;
}

/** Before the @: an address's local part ("ann@example.com" mentions nobody). */
const ADDRESS_CHAR = /[\p{L}\p{N}_.+-]/u;
/** After the name: a name ends where the word does ("@Sam," and "@Sam." mention Sam; "@Samantha" does not). */
const NAME_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The agents an internal note mentions: "@" then an agent's name (usernames are people's names and
 * may hold spaces: "@Sam Support"), matched case-insensitively, longest name first, and only as a
 * whole word (so "@Sam" does not mention "Samantha", nor "ann@example.com" Ann). Each agent once.
 */
export function findMentions<Agent extends Mentionable>(body: string, agents: readonly Agent[]): Agent[] {
  const byLength = [...agents].filter((agent) => agent.username.trim()).sort((a, b) => b.username.length - a.username.length);
  const found = new Map<number, Agent>();
  const text = body.toLowerCase();
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    // an address's @ follows a word character: not a mention
    if (at > 0 && ADDRESS_CHAR.test(text[at - 1])) continue;
    const rest = text.slice(at + 1);
    const agent = byLength.find((candidate) => {
      const name = candidate.username.toLowerCase();
      return rest.startsWith(name) && !NAME_CHAR.test(rest.charAt(name.length) || ' ');
    });
    if (agent) found.set(agent.id, agent);
  }
  return [...found.values()];
}
