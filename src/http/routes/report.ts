import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ReportService } from '../../report/report-service.js'
import { languageOf } from '../language.js'
import { errorResponses } from '../../schemas/common.js'
import { ReportQuerySchema, ReportSchema } from '../../schemas/report.js'

const reportRoutes: FastifyPluginAsyncTypebox<{ reports: ReportService }> = async (app, { reports }) => {
  app.get('/user/report', {
    schema: {
      tags: ['history'],
      summary: 'Your behaviour report',
      description: 'Your own chatting over the last `days` days (in DAY_TIMEZONE): totals, activity per day and hour, habits, limits hit, topics and mood, and a few sentences saying it in the language of the messages.',
      security: [{ bearer: [] }],
      querystring: ReportQuerySchema,
      response: { 200: ReportSchema, ...errorResponses(401, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => reports.report({ id: request.user.userId, username: request.user.username }, request.query.days, { language: request.query.language, fallback: languageOf(request) }))
}

export default reportRoutes
