// Loaded before every test file. reflect-metadata must come first for decorators. Loading the ESM
// Nest packages here first lets CommonJS packages that require() them (throttler, terminus,
// bull-shared, nestjs-pino) resolve them outside a require cycle under jest's ESM mode.
import 'reflect-metadata';
import '@nestjs/common';
import '@nestjs/core';
import '@nestjs/bull-shared';
