// Loaded before every test file. reflect-metadata must come first for decorators; the Nest and
// bull-shared imports pre-load CommonJS packages that ESM test modules import later.
import 'reflect-metadata';
