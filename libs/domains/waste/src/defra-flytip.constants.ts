/**
 * The categories of DEFRA's fly-tipping return (WasteDataFlow Question 1), with their exact labels. The
 * canonical `waste.flytip` fields take these labels as values; each council's own categories are mapped
 * onto them by lookup files and kept beside them as `...Local`.
 */

/** Land types (10). */
export const DEFRA_LAND_TYPES = [
  'Highway',
  'Footpath/Bridleway',
  'Back Alleyway',
  'Railway',
  'Council Land',
  'Agricultural',
  'Private/Residential',
  'Commercial/Industrial',
  'Watercourse/Bank',
  'Other',
] as const;
/** A DEFRA land type. */
export type DefraLandType = (typeof DEFRA_LAND_TYPES)[number];

/** Waste types (15). */
export const DEFRA_WASTE_TYPES = [
  'Animal Carcass',
  'Green',
  'Vehicle Parts',
  'White Goods',
  'Other Electrical',
  'Tyres',
  'Asbestos',
  'Clinical',
  'Constr/Demol/Excav',
  'Black Bags - Commercial',
  'Black Bags - Household',
  'Chemical Drums, Oil, Fuel',
  'Other Household Waste',
  'Other Commercial Waste',
  'Other',
] as const;
/** A DEFRA waste type. */
export type DefraWasteType = (typeof DEFRA_WASTE_TYPES)[number];

/** Incident sizes (7). */
export const DEFRA_SIZES = [
  'Single Black Bag',
  'Single Item',
  'Car Boot or Less',
  'Small Van Load',
  'Transit Van Load',
  'Tipper Lorry Load',
  'Significant/Multi Loads',
] as const;
/** A DEFRA incident size. */
export type DefraSize = (typeof DEFRA_SIZES)[number];

/** Enforcement actions the hub records per incident, `None` when the source says none was taken. */
export const DEFRA_ENFORCEMENT_ACTIONS = [
  'Fixed Penalty Notice',
  'Prosecution',
  'Warning Letter',
  'Investigation',
  'None',
] as const;
/** An enforcement action. */
export type DefraEnforcementAction = (typeof DEFRA_ENFORCEMENT_ACTIONS)[number];
