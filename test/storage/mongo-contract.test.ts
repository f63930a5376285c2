import { describe } from 'vitest'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { dropTestCollections, MONGO_SKIP_REASON, TEST_MONGODB_URI, testCollectionPrefix, testDatabase } from '../helpers/mongo.js'
import { describeStoreContract, type OpenedStore } from './store-contract.js'

// The storage contract on a real MongoDB server: each test in collections of its own, in the test
// database, dropped after it.
const uri = TEST_MONGODB_URI

async function open (): Promise<OpenedStore> {
  if (uri === undefined) throw new Error('TEST_MONGODB_URI is not set')
  const dbName = testDatabase()
  const collectionPrefix = testCollectionPrefix()
  const store = await createMongoStore({ uri, dbName, collectionPrefix })
  return {
    store,
    async dispose () {
      await store.close()
      await dropTestCollections(uri, dbName, collectionPrefix)
    }
  }
}

if (uri === undefined) {
  console.log(`MongoDB store contract: ${MONGO_SKIP_REASON}`)
  describe.skip(`(${MONGO_SKIP_REASON})`, () => { describeStoreContract('MongoDB', open) })
} else {
  describeStoreContract('MongoDB', open)
}
