import { validateRegistration } from './register.component';

describe('validateRegistration', () => {
  it('accepts good input', () => {
    expect(
      validateRegistration({ username: 'ana.l-1', email: 'ana@example.com', password: '12345678' }),
    ).toEqual({});
  });

  it('explains each bad field', () => {
    const errors = validateRegistration({ username: 'a b', email: 'nope', password: 'short' });
    expect(Object.keys(errors).sort()).toEqual(['email', 'password', 'username']);
    expect(
      validateRegistration({ username: 'ab', email: 'a@b.co', password: '12345678' }).username,
    ).toContain('3 to 32');
  });
});
