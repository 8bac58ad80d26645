import { loggedPath } from './logger.js';

describe('the path a log line shows', () => {
  it('drops the query string, where link tokens travel', () => {
    expect(loggedPath('/links/offer?token=abc&x=1')).toBe('/links/offer');
  });

  it('masks the arrival QR secret and keeps the shift id', () => {
    const shiftId = '7f9c4d8e-0d51-4e3a-9a43-2f0b7c2d1e11';
    expect(loggedPath(`/arrive/${shiftId}/s3cr3t-Value_x`)).toBe(`/arrive/${shiftId}/***`);
    expect(loggedPath(`/arrive/${shiftId}/s3cr3t/leave?x=1`)).toBe(`/arrive/${shiftId}/***/leave`);
  });

  it('leaves other paths alone', () => {
    expect(loggedPath('/org/shifts/abc/kiosk')).toBe('/org/shifts/abc/kiosk');
  });
});
