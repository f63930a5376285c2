import { StartupError } from '../errors.js'

/**
 * The database cannot be used at start: unreachable, refusing the credentials, unwritable, or
 * unable to hold what the settings allow. Its message names the host or file and what to check.
 */
export class DatabaseStartupError extends StartupError {
  override name = 'DatabaseStartupError'
}
