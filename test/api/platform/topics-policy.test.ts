import { expect } from 'chai';
import { mayViewTopic, parseTopic } from '../../../domain/policies/topics.ts';

describe('topic policy', () => {
  const member = { userId: 7, organizationIds: [3] };

  it('parses the six topic shapes and rejects anything else', () => {
    expect(parseTopic('org:3:jobs')).to.deep.equal({ kind: 'org_jobs', organizationId: 3 });
    expect(parseTopic('org:3:team')).to.deep.equal({ kind: 'org_team', organizationId: 3 });
    expect(parseTopic('user:7')).to.deep.equal({ kind: 'user', id: 7 });
    expect(parseTopic('store:12')).to.deep.equal({ kind: 'store', id: 12 });
    for (const bad of ['org:3', 'user:0', 'user:-1', 'user:7 ', 'board:abc', 'org:3:jobs:x', 'org:3:teams', 'org:0:team', 'x:1']) expect(parseTopic(bad), bad).to.equal(null);
  });

  it('lets a person watch only their own user topic', () => {
    expect(mayViewTopic(member, parseTopic('user:7')!)).to.equal(true);
    expect(mayViewTopic(member, parseTopic('user:8')!)).to.equal(false);
    expect(mayViewTopic({ userId: null, organizationIds: [3] }, parseTopic('user:7')!)).to.equal(false);
  });

  it('lets members watch their organization jobs and stores, nobody else', () => {
    expect(mayViewTopic(member, parseTopic('org:3:jobs')!)).to.equal(true);
    expect(mayViewTopic(member, parseTopic('org:4:jobs')!)).to.equal(false);
    expect(mayViewTopic({ ...member, owningOrganizationId: 3 }, parseTopic('store:12')!)).to.equal(true);
    expect(mayViewTopic({ ...member, owningOrganizationId: 4 }, parseTopic('store:12')!)).to.equal(false);
    expect(mayViewTopic({ ...member, owningOrganizationId: null }, parseTopic('store:12')!)).to.equal(false);
  });

  it('lets only an organization’s members watch its team, not its API keys', () => {
    expect(mayViewTopic(member, parseTopic('org:3:team')!)).to.equal(true);
    expect(mayViewTopic(member, parseTopic('org:4:team')!)).to.equal(false);
    expect(mayViewTopic({ userId: 9, organizationIds: [] }, parseTopic('org:3:team')!)).to.equal(false);
    expect(mayViewTopic({ userId: null, organizationIds: [3] }, parseTopic('org:3:team')!)).to.equal(false);
  });

  it('lets a booking’s customer and provider, and admins, watch it and its board; nobody else', () => {
    const booking = parseTopic('booking:5')!;
    const board = parseTopic('board:2')!;
    expect(mayViewTopic({ ...member, participantIds: [7, 9] }, booking)).to.equal(true);
    expect(mayViewTopic({ ...member, participantIds: [8, 9] }, booking)).to.equal(false);
    expect(mayViewTopic({ ...member, participantIds: [8], isAdmin: true }, booking)).to.equal(true);
    expect(mayViewTopic({ ...member, participantIds: [] }, board)).to.equal(false);
    expect(mayViewTopic({ userId: null, organizationIds: [3], participantIds: [7] }, board)).to.equal(false);
  });
});
