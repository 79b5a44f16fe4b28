import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronMock } from '../mocks/electron';
import { NO_SANDBOX_WARNING, sandboxProblems } from '../../electron/main/sandbox';

vi.mock('electron', () => import('../mocks/electron'));

beforeEach(() => electronMock.reset());

describe('sandboxProblems', () => {
  it('says nothing when the OS sandbox is on', () => {
    expect(sandboxProblems()).toEqual([]);
  });

  it('warns in a sentence, with the way out, when started with --no-sandbox', () => {
    electronMock.state.switches.push('no-sandbox');
    expect(sandboxProblems()).toEqual([NO_SANDBOX_WARNING]);
    expect(NO_SANDBOX_WARNING).toMatch(/sandbox turned off/);
    expect(NO_SANDBOX_WARNING).toMatch(/install the \.deb or \.rpm package/);
  });
});
