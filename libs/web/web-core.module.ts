import { Module } from '@nestjs/common';
import { CsrfGuard } from './csrf.js';
import { PageExtensions } from './page-extensions.js';
import { PageRenderer } from './page-renderer.js';

/**
 * What every pages module shares: the renderer (layout, navigation, CSRF token), the CSRF guard and
 * the extension points. A new area's pages (offers, check-ins) live in their own module that imports
 * this one; being a static module, all importers share one PageExtensions instance.
 */
@Module({
  providers: [PageRenderer, PageExtensions, CsrfGuard],
  exports: [PageRenderer, PageExtensions, CsrfGuard],
})
export class WebCoreModule {}
