import { describe, expect, it } from 'vitest';
import { isLoopbackHost, redactCommand, redactRedisUrl, redactSettings, validateRedisUrl } from '../src/bus/redis-url.js';
import { InvalidOptionError } from '../src/errors.js';

describe('redis url loopback check', () => {
  it('accepts loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('treats every other host as remote', () => {
    for (const host of ['10.0.0.5', '192.168.1.2', '8.8.8.8', 'redis.example.com', '::2', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('rejects a remote host without permission', () => {
    expect(() => validateRedisUrl('redis://10.0.0.5:6379', false)).toThrow(InvalidOptionError);
    expect(() => validateRedisUrl('redis://10.0.0.5:6379', false)).toThrow(
      '--redis-url host 10.0.0.5 is not a loopback address (127.0.0.0/8, ::1, localhost): rtbench sends traffic only to this machine; pass --allow-remote-redis to use it anyway',
    );
  });

  it('accepts a remote host with permission', () => {
    expect(validateRedisUrl('redis://10.0.0.5:6379', true)).toBe('redis://10.0.0.5:6379');
  });

  it('rejects other schemes and garbage', () => {
    expect(() => validateRedisUrl('http://127.0.0.1:6379', false)).toThrow('the scheme must be redis:// or rediss://, not http://');
    expect(() => validateRedisUrl('not a url', false)).toThrow('invalid --redis-url "not a url"');
  });

  it('hides the password in messages', () => {
    expect(redactRedisUrl('redis://user:secret@127.0.0.1:6379')).toBe('redis://user:***@127.0.0.1:6379');
  });

  it('hides the password in the report', () => {
    const command = ['rtbench', 'run', '--redis-url', 'redis://:secret@127.0.0.1:6379', '--redis-url=redis://:other@127.0.0.1:6380'];

    expect(redactCommand(command)).toEqual(['rtbench', 'run', '--redis-url', 'redis://:***@127.0.0.1:6379', '--redis-url=redis://:***@127.0.0.1:6380']);
    expect(redactSettings({ redisUrl: 'redis://:secret@127.0.0.1:6379' }).redisUrl).toBe('redis://:***@127.0.0.1:6379');
    expect(redactSettings({ clients: 5 })).toEqual({ clients: 5 });
  });
});
