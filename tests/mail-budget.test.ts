import { assertWithinBudget, MailBudgetExceeded, withinBudget } from '../src/plugins/helpdesk/server/src/mail-ingestion/budget';


describe('the per-mail budget', () => {
  it('fails a stage that waits past the budget, at the budget', async () => {
    const started = Date.now();
    const outcome = withinBudget('parsing', 200, () => new Promise<never>(() => undefined));
    await expect(outcome).rejects.toBeInstanceOf(MailBudgetExceeded);
    await expect(outcome).rejects.toThrow(/parsing took \d+ ms, over the per-mail budget of 200 ms/);
    process.stdout.write(`a hanging stage was given up after ${Date.now() - started} ms (budget 200 ms)\n`);
  });

  it('fails a stage that held the CPU past the budget (a timer cannot interrupt it)', async () => {
    const busy = async () => {
      const until = Date.now() + 300;
      while (Date.now() < until); // a validator backtracking
      return 'parsed';
    };
    await expect(withinBudget('parsing', 100, busy)).rejects.toThrow(/over the per-mail budget of 100 ms/);
    await expect(withinBudget('parsing', 5_000, busy)).resolves.toBe('parsed');
    expect(() => assertWithinBudget('applying', Date.now() - 50, 10)).toThrow(MailBudgetExceeded);
    expect(() => assertWithinBudget('applying', Date.now(), 10_000)).not.toThrow();
  });
});

