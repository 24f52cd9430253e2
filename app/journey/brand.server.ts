// A brand as the journey's pages show it: its names, links and colours, with the text colour that
// reads best on its primary colour.
import type { Brand } from "../../server/config/schema.js";
import type { BrandView } from "./pages";

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast: white text when it beats black on this background. */
export function textColorOn(hex: string): string {
  const l = luminance(hex);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

export function brandView(b: Brand): BrandView {
  return {
    name: b.name,
    logoUrl: b.logoUrl,
    primaryColor: b.primaryColor,
    onPrimary: textColorOn(b.primaryColor),
    backgroundColor: b.backgroundColor,
    siteTermsUrl: b.siteTermsUrl,
    privacyPolicyUrl: b.privacyPolicyUrl,
  };
}
