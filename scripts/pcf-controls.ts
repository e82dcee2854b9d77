/** The PCF controls of pcf-controls/, as the build and the packer know them. */
export interface PcfControl {
  readonly namespace: string;
  readonly constructorName: string;
}

export const pcfControls: readonly PcfControl[] = [
  { namespace: 'CspBilling', constructorName: 'ReconciliationGrid' },
  { namespace: 'CspBilling', constructorName: 'BillingImport' },
];

/** pcf-scripts writes each control to pcf-controls/out/controls/<constructor> (pcfconfig.json). */
export const PCF_OUT_DIR = 'pcf-controls/out/controls';
