import { Migration } from '@mikro-orm/migrations';
import { SKILLS_CATALOGUE } from '../../../common/index.js';

/** Seeds the skills catalogue; re-running updates labels without touching volunteers' skills. */
export class SeedSkills20261126 extends Migration {
  override async up(): Promise<void> {
    for (const skill of SKILLS_CATALOGUE) {
      await this.execute(
        `insert into skills (slug, label, category) values (?, ?, ?)
         on conflict (slug) do update set label = excluded.label, category = excluded.category`,
        [skill.slug, skill.label, skill.category],
      );
    }
  }
}
