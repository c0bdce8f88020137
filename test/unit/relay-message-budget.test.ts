import { expect } from 'chai';
import { MessageBudget } from '../../api/realtime/message-budget.ts';

describe('relay message budget', () => {
  it('lets a burst through, refuses the next message, and refills at the average rate', () => {
    const budget = new MessageBudget(20, 100, 0);
    const burst = Array.from({ length: 101 }, () => budget.take(0));
    expect(burst.filter(Boolean)).to.have.length(100);
    expect(budget.take(0)).to.equal(false);
    expect(budget.take(50)).to.equal(true); // 50 ms at 20/s earns one message
    expect(budget.take(50)).to.equal(false);
    expect([...Array(25)].map((_, i) => budget.take(1050 + i)).filter(Boolean)).to.have.length(20);
  });
});
