import { describe } from 'vitest'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { dropTestDatabase, MONGO_SKIP_REASON, TEST_MONGODB_URI, testDatabaseName } from '../helpers/mongo.js'
import { describeStoreContract, type OpenedStore } from './store-contract.js'

// The storage contract on a real MongoDB server: each test in a fresh database, dropped after it.
const uri = TEST_MONGODB_URI

async function open (): Promise<OpenedStore> {
  if (uri === undefined) throw new Error('TEST_MONGODB_URI is not set')
  const dbName = testDatabaseName()
  const store = await createMongoStore({ uri, dbName })
  return {
    store,
    async dispose () {
      await store.close()
      await dropTestDatabase(uri, dbName)
    }
  }
}

if (uri === undefined) {
  console.log(`MongoDB store contract: ${MONGO_SKIP_REASON}`)
  describe.skip(`(${MONGO_SKIP_REASON})`, () => { describeStoreContract('MongoDB', open) })
} else {
  describeStoreContract('MongoDB', open)
}
