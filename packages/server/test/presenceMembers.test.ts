/** The pure presence logic (presence/members.ts), table-tested: connections, grace, expiry, merge, diff. */
import { describe, expect, it } from 'vitest';
import { diffMembers, mergeMembers, PresenceTable, type Member } from '../src/presence/members';

const GRACE = 5000;
const ada = { id: 'ada', data: { name: 'Ada' } };
const bob = { id: 'bob' };

type Step = [at: number, op: (t: PresenceTable, at: number) => void, members: Array<[id: string, connections: number]>];

const cases: Array<[name: string, steps: Step[]]> = [
  ['a connection makes its user a member', [[0, (t, at) => t.connect('c', 's1', ada, at), [['ada', 1]]]]],
  ['two tabs of one user are one member with 2 connections', [
    [0, (t, at) => t.connect('c', 's1', ada, at), [['ada', 1]]],
    [1, (t, at) => t.connect('c', 's2', ada, at), [['ada', 2]]],
    [2, (t, at) => t.disconnect('c', 's1', at), [['ada', 1]]],
  ]],
  ['the last connection gone: a member with 0 connections until the grace period ends', [
    [0, (t, at) => t.connect('c', 's1', ada, at), [['ada', 1]]],
    [10, (t, at) => t.disconnect('c', 's1', at), [['ada', 0]]],
    [10 + GRACE - 1, (t, at) => t.tick(at), [['ada', 0]]],
    [10 + GRACE, (t, at) => t.tick(at), []],
  ]],
  ['a reconnect within the grace period: never left', [
    [0, (t, at) => t.connect('c', 's1', ada, at), [['ada', 1]]],
    [10, (t, at) => t.disconnect('c', 's1', at), [['ada', 0]]],
    [3000, (t, at) => t.connect('c', 's2', ada, at), [['ada', 1]]],
    [10 + GRACE + 1, (t, at) => t.tick(at), [['ada', 1]]],
  ]],
  ['an http poller expires unless refreshed, then the grace period runs', [
    [0, (t, at) => t.connect('c', 'http:x', bob, at, 1000), [['bob', 1]]],
    [900, (t, at) => t.connect('c', 'http:x', bob, at, 2000), [['bob', 1]]],
    [1999, (t, at) => t.tick(at), [['bob', 1]]],
    [2000, (t, at) => t.tick(at), [['bob', 0]]],
    [2000 + GRACE, (t, at) => t.tick(at), []],
  ]],
  ['channels are independent', [
    [0, (t, at) => (t.connect('c', 's1', ada, at), t.connect('d', 's2', bob, at)), [['ada', 1]]],
    [1, (t, at) => t.disconnect('d', 's2', at), [['ada', 1]]],
  ]],
];

describe('PresenceTable', () => {
  it.each(cases)('%s', (_name, steps) => {
    const t = new PresenceTable(GRACE);
    for (const [at, op, members] of steps) {
      op(t, at);
      expect(t.members('c').map((m) => [m.id, m.connections]), `at ${at}`).toEqual(members);
    }
  });

  it('reports changed channels once, and the next deadline', () => {
    const t = new PresenceTable(GRACE);
    t.connect('c', 's1', ada, 0);
    t.connect('d', 's2', bob, 0, 700);
    expect(t.takeChanged().sort()).toEqual(['c', 'd']);
    expect(t.takeChanged()).toEqual([]);
    expect(t.nextDeadline()).toBe(700);
    t.disconnect('c', 's1', 100);
    expect(t.takeChanged()).toEqual(['c']);
    expect(t.channelsOf('s2')).toEqual(['d']);
    expect(t.members('c')[0]).toEqual({ id: 'ada', data: { name: 'Ada' }, connections: 0 });
  });
});

const m = (id: string, connections: number, data: unknown = null): Member => ({ id, data, connections });

describe('mergeMembers (nodes) and diffMembers (what to send)', () => {
  it.each([
    ['one node', [[m('b', 1), m('a', 2)]], [m('a', 2), m('b', 1)]],
    ['a user on two nodes counts once, connections summed', [[m('a', 1)], [m('a', 2)]], [m('a', 3)]],
    ['in grace on one node, connected on another: the live data wins', [[m('a', 0, 'old')], [m('a', 1, 'new')]], [m('a', 1, 'new')]],
    ['no nodes', [], []],
  ] as Array<[string, Member[][], Member[]]>)('%s', (_n, views, merged) => {
    expect(mergeMembers(views)).toEqual(merged);
  });

  it.each([
    ['nothing changed', [m('a', 1)], [m('a', 1)], { set: [], del: [] }],
    ['a join', [m('a', 1)], [m('a', 1), m('b', 1)], { set: [m('b', 1)], del: [] }],
    ['a leave', [m('a', 1), m('b', 1)], [m('b', 1)], { set: [], del: ['a'] }],
    ['a second tab', [m('a', 1)], [m('a', 2)], { set: [m('a', 2)], del: [] }],
    ['new data', [m('a', 1, { s: 1 })], [m('a', 1, { s: 2 })], { set: [m('a', 1, { s: 2 })], del: [] }],
  ] as Array<[string, Member[], Member[], { set: Member[]; del: string[] }]>)('%s', (_n, prev, next, diff) => {
    expect(diffMembers(prev, next)).toEqual(diff);
  });
});
