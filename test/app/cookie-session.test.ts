import { useTestServer } from "../support/env.js";
// A cookie the server cannot open (forged, sealed with a retired key, someone else's) never
// breaks a page: the journey and the console start a fresh session instead.

const server = useTestServer();

test.each([
  ["the console's sign-in", "/admin/sign-in", "admin_session"],
  ["a journey link", "/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAA", "journey"],
])("%s with a garbage session cookie answers normally", async (_name, path, cookie) => {
  // The last two make iron-session throw ("Invalid expiration", "Wrong mac prefix") rather than ignore them.
  for (const value of ["garbage", "%E0%A4%A", "Fe26.2*1*a*b*c*d*e*f", "Fe26.1*1*a*b*c**d*e~2"]) {
    const res = await fetch(`${server.url}${path}`, { headers: { cookie: `${cookie}=${value}` }, redirect: "manual" });
    expect(res.status).toBeLessThan(500);
  }
});
