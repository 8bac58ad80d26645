import { Migration } from '@mikro-orm/migrations';

/** A link purpose for "stop suggestions": the one-click unsubscribe of the shift-suggestions email. */
export class SuggestionsStop20261130 extends Migration {
  override up(): void {
    this.addSql(`alter type link_purpose add value if not exists 'suggestions_stop'`);
  }

  override down(): void {
    // An enum value cannot be dropped; its tokens are deleted so nothing uses it.
    this.addSql(`delete from link_tokens where purpose::text = 'suggestions_stop'`);
  }
}
