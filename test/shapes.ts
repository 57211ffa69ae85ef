/** Polygons with known vertices for the corner detector's accuracy test. */
import { starPolygon, type Polygon } from './helpers.js';

export const TEST_POLYGONS: Record<string, Polygon> = {
  square: [0, 0, 1, 0, 1, 1, 0, 1],
  triangle: [0, 0, 1, 0.15, 0.35, 0.9],
  star5: starPolygon(5, 0.45),
  star6: starPolygon(6, 0.6),
  L: [0, 0, 0.4, 0, 0.4, 0.6, 1, 0.6, 1, 1, 0, 1],
  // A stem with a serif-like notched foot: steps and a notch, right angles both ways.
  serif: [0.3, 0, 0.7, 0, 0.7, 0.75, 1, 0.75, 1, 1, 0.55, 1, 0.5, 0.9, 0.45, 1, 0, 1, 0, 0.75, 0.3, 0.75],
  // A thin wedge: tip angle ≈ 30°.
  wedge: [0, 0, 1, 0.2679, 0, 0.5359],
};
