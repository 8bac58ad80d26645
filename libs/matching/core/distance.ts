/**
 * Distances on the WGS84 ellipsoid, the same surface PostGIS `geography` measures on, so a
 * distance shown to a volunteer agrees with the database's `ST_DWithin` travel filter.
 *
 * Vincenty's inverse formula (1975) gives sub-millimetre accuracy wherever its λ iteration
 * converges. It does not converge for nearly antipodal points; there we solve the same
 * equation by bisection, and in the fully degenerate case (latitudes exactly opposite, the
 * geodesic passes through the antipode on the auxiliary sphere) we solve for the azimuth
 * instead. No dependency: geographiclib is only used by the tests as the reference.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

const A = 6378137; // WGS84 semi-major axis, metres
const F = 1 / 298.257223563; // WGS84 flattening
const B = A * (1 - F); // semi-minor axis
const RAD = Math.PI / 180;

/** Geodesic distance in kilometres between two points on the WGS84 ellipsoid. */
export function distanceKm(a: LatLon, b: LatLon): number {
  checkPoint(a, 'a');
  checkPoint(b, 'b');
  // The distance depends only on |Δlon|, so solve for 0 ≤ L ≤ π (avoids sign cases below).
  const L = Math.abs(normaliseLonDiff(b.lon - a.lon)) * RAD;
  const p1 = reducedLatitude(a.lat);
  const p2 = reducedLatitude(b.lat);
  const geo = solveLambda(L, p1, p2);
  return geodesicLength(geo) / 1000;
}

/**
 * Rounds a coordinate to `decimals` places (default 2, about 1.1 km of latitude), used to keep
 * only an approximate home area. Halves round away from zero so the result is symmetric for
 * negative coordinates.
 */
export function roundCoordinate(value: number, decimals = 2): number {
  if (!Number.isFinite(value)) throw new RangeError(`coordinate must be finite, got ${value}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals must be an integer 0..10, got ${decimals}`);
  }
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return rounded === 0 ? 0 : rounded; // never -0: it would serialise as "-0" in some places
}

// ---------------------------------------------------------------------------------------------

interface Reduced {
  sinU: number;
  cosU: number;
}

/** Terms of one trial λ on the auxiliary sphere (Vincenty's notation). */
interface Geodesic {
  sinSigma: number;
  cosSigma: number;
  sigma: number;
  cosSqAlpha: number;
  cos2SigmaM: number;
}

function checkPoint(p: LatLon, name: string): void {
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) {
    throw new RangeError(`${name}.lat must be within [-90, 90], got ${p.lat}`);
  }
  if (!Number.isFinite(p.lon)) throw new RangeError(`${name}.lon must be finite, got ${p.lon}`);
}

/** Longitude difference folded into [-180, 180], so the antimeridian needs no special case. */
function normaliseLonDiff(deg: number): number {
  const r = deg % 360;
  if (r > 180) return r - 360;
  if (r < -180) return r + 360;
  return r;
}

/** Reduced (parametric) latitude U, with tan U = (1 − f) tan φ; written to be exact at the poles. */
function reducedLatitude(latDeg: number): Reduced {
  const phi = latDeg * RAD;
  const sinPhi = latDeg === 90 ? 1 : latDeg === -90 ? -1 : Math.sin(phi);
  const cosPhi = Math.abs(latDeg) === 90 ? 0 : Math.cos(phi);
  const y = (1 - F) * sinPhi;
  const h = Math.hypot(y, cosPhi);
  return { sinU: y / h, cosU: cosPhi / h };
}

/**
 * Auxiliary-sphere terms for a trial λ, given as sin λ and cos λ so that λ close to π can be
 * passed as π − μ without losing μ to rounding. `forcedSinAlpha` is for the degenerate case.
 */
function terms(sinL: number, cosL: number, p1: Reduced, p2: Reduced, forcedSinAlpha?: number) {
  const x = p2.cosU * sinL;
  const y = p1.cosU * p2.sinU - p1.sinU * p2.cosU * cosL;
  const sinSigma = Math.hypot(x, y);
  const cosSigma = p1.sinU * p2.sinU + p1.cosU * p2.cosU * cosL;
  const sigma = Math.atan2(sinSigma, cosSigma);
  // sinα = cosU1 cosU2 sinλ / sinσ; when sinσ = 0 the direction is undefined → meridional (0).
  const sinAlpha = forcedSinAlpha ?? (sinSigma === 0 ? 0 : (p1.cosU * p2.cosU * sinL) / sinSigma);
  const cosSqAlpha = 1 - sinAlpha * sinAlpha;
  // On the equator (cos²α = 0) cos2σm is irrelevant; Vincenty sets it to 0.
  const cos2SigmaM = cosSqAlpha === 0 ? 0 : cosSigma - (2 * p1.sinU * p2.sinU) / cosSqAlpha;
  const C = (F / 16) * cosSqAlpha * (4 + F * (4 - 3 * cosSqAlpha));
  const correction =
    (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
  const geo: Geodesic = { sinSigma, cosSigma, sigma, cosSqAlpha, cos2SigmaM };
  return { geo, correction };
}

const atLambda = (lambda: number, p1: Reduced, p2: Reduced) => terms(Math.sin(lambda), Math.cos(lambda), p1, p2);
/** λ = π − μ, exact for tiny μ (near the antipode the root can sit at μ ≈ 1e-13). */
const atMu = (mu: number, p1: Reduced, p2: Reduced, forcedSinAlpha?: number) =>
  terms(Math.sin(mu), -Math.cos(mu), p1, p2, forcedSinAlpha);

/**
 * Finds λ (longitude difference on the auxiliary sphere) with λ = L + correction(λ).
 * 1. Vincenty's fixed-point iteration: fast, converges except near the antipode.
 * 2. Otherwise bisection on μ = π − λ ∈ [0, π − L]: the residual is ≥ 0 at λ = L, and at
 *    λ = π the geodesic is meridional (sinα = 0) so it is L − π ≤ 0; a root lies between.
 * 3. If the latitudes are (numerically) exactly opposite, σ = π at λ = π and α is free:
 *    solve for α instead. Being off by 1e-15 rad there moves the point by nanometres.
 */
function solveLambda(L: number, p1: Reduced, p2: Reduced): Geodesic {
  let lambda = L;
  for (let i = 0; i < 100; i++) {
    const next = L + atLambda(lambda, p1, p2).correction;
    if (Math.abs(next - lambda) < 1e-13) return atLambda(next, p1, p2).geo;
    if (next > Math.PI) break; // walked off the sphere: the antipodal case
    lambda = next;
  }
  if (atMu(0, p1, p2).geo.sinSigma < 1e-15) return solveDegenerate(L, p1, p2);
  return bisectMu(L, p1, p2);
}

function bisectMu(L: number, p1: Reduced, p2: Reduced): Geodesic {
  const residual = (mu: number) => L - Math.PI + mu + atMu(mu, p1, p2).correction;
  let lo = 0; // residual ≤ 0 (λ = π)
  let hi = Math.PI - L; // residual ≥ 0 (λ = L)
  // Stop on relative precision: the root can be many orders of magnitude below π − L.
  for (let i = 0; i < 400 && hi - lo > 1e-16 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (residual(mid) > 0) hi = mid;
    else lo = mid;
  }
  return atMu((lo + hi) / 2, p1, p2).geo;
}

/**
 * Exactly opposite latitudes with L near π: on the auxiliary sphere the geodesic runs through
 * the antipode (λ = σ = π) and only its azimuth varies. Solve L = π − correction(sinα) for
 * sinα by bisection (the correction grows with sinα). If even sinα = 1 cannot reach L, the
 * shortest path has λ < π and the ordinary bisection applies.
 */
function solveDegenerate(L: number, p1: Reduced, p2: Reduced): Geodesic {
  const residual = (s: number) => L - Math.PI + atMu(0, p1, p2, s).correction;
  if (residual(1) < 0) return bisectMu(L, p1, p2);
  let lo = 0; // residual(0) = L − π ≤ 0
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (residual(mid) < 0) lo = mid;
    else hi = mid;
  }
  return atMu(0, p1, p2, (lo + hi) / 2).geo;
}

/** Vincenty's series for the arc length from the auxiliary-sphere solution. */
function geodesicLength(g: Geodesic): number {
  const uSq = (g.cosSqAlpha * (A * A - B * B)) / (B * B);
  const bigA = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
  const bigB = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
  const c2 = g.cos2SigmaM;
  const deltaSigma =
    bigB *
    g.sinSigma *
    (c2 +
      (bigB / 4) *
        (g.cosSigma * (-1 + 2 * c2 * c2) - (bigB / 6) * c2 * (-3 + 4 * g.sinSigma * g.sinSigma) * (-3 + 4 * c2 * c2)));
  return B * bigA * (g.sigma - deltaSigma);
}
