import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { BatchRequest } from '../../core/batch-jobs/batch-job.service.ts';
import { invalidField, isItemFailure, undefinedIfRefused } from '../../core/errors.ts';
import type { Services } from '../../core/services.ts';
import type { Principal } from '../../core/types.ts';
import { AccountParams, BatchParams, MSISDN_PATTERN, security, tags } from './schemas.ts';
import { BatchJob, BatchList, BatchListQuery, DeleteContactsBody, DeleteGroupsBody, GroupPairQuery, errors } from './batch.schemas.ts';
import { createItemOf } from './upload-rows.ts';
import { readUploadForm, uploadRecords } from './upload.ts';
import { CODE, EightByEightError, MSISDN_MESSAGE, codeOf, messageOf } from './errors.ts';
import { CORE_KIND, msisdnToE164, toWireJob } from './mapping.ts';
import { MERGE_ACROSS_ACCOUNT } from './rules.ts';
import { refuseOversizeUpload } from '../shared/multipart.ts';
import { pageFields, pageOf, routeConfig } from './present.ts';

const ACCOUNT = '/api/v1/accounts/:accountId';
const MSISDN = new RegExp(MSISDN_PATTERN);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const accepted = (description: string) => ({ 202: { ...BatchJob, description } });

/**
 * Batch API: jobs are accepted (202) and run in the background by the core's BatchJobService;
 * GET batches/{batchId} shows the status, counters and one result per item done.
 */
/** The file's upload limit for batch contact files. */
export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

export function registerBatchRoutes(scope: FastifyInstance, services: Services): void {
  const { batchJobs, groups } = services;

  async function groupIdOf(actor: Principal, seq: number): Promise<string> {
    const group = await groups.getBySeq(actor, seq).catch(undefinedIfRefused);
    if (!group) throw new EightByEightError(400, CODE.notFound, `Unable to find group with id ${seq}`);
    return group.id;
  }

  async function submit(request: FastifyRequest, work: BatchRequest) {
    return toWireJob(await batchJobs.submit(request.principal, work));
  }

  scope.post(`${ACCOUNT}/contacts/batches/createContacts`, {
    config: routeConfig('contacts:write', [202, 400]),
    onRequest: refuseOversizeUpload(MAX_UPLOAD_BYTES),
    schema: {
      tags, security, summary: 'Batch create contacts (8x8)', params: AccountParams,
      description: 'multipart/form-data: `file` (CSV or Excel .xlsx, its first worksheet; at most 30 MB; Excel 97-2003 .xls: 400), `groups` (comma-separated group ids, at most 10), `fileHasHeader` (default true), `fileColumns` (comma-separated column names, required without a header). '
        + 'Each row is created like POST contacts: merged into the one contact sharing an address, refused when several do. Poll GET batches/{id} for the status and per-row results.',
      consumes: ['multipart/form-data'],
      response: { ...accepted('Accepted: the job is queued.'), ...errors(413, 415) },
    },
  }, async (request, reply) => {
    const { file, fields } = await readUploadForm(request);
    const hasHeader = (fields.fileHasHeader ?? 'true').trim().toLowerCase() !== 'false';
    const columns = fields.fileColumns?.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (!hasHeader && (columns === undefined || columns.length === 0)) throw invalidField('fileColumns', 'is required when fileHasHeader is false');
    const groupSeqs = (fields.groups ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
    if (groupSeqs.length > 10) throw invalidField('groups', 'at most 10 groups');
    if (groupSeqs.some((g) => !/^\d{1,15}$/.test(g))) throw invalidField('groups', 'must be comma-separated group ids');
    const groupIds: string[] = [];
    for (const seq of groupSeqs) groupIds.push(await groupIdOf(request.principal, Number(seq)));
    const { fileType, records } = await uploadRecords(file, hasHeader ? undefined : columns);
    const items = records.map((record) => createItemOf(record, groupIds));
    reply.status(202);
    return submit(request, { kind: 'create_contacts', items, duplicateRule: MERGE_ACROSS_ACCOUNT, meta: { fileName: file.name, fileType, groupCount: groupIds.length } });
  });

  scope.post(`${ACCOUNT}/contacts/batches/deleteContacts`, {
    config: routeConfig('contacts:write', [202, 400]),
    schema: {
      tags, security, summary: 'Batch delete contacts (8x8)', params: AccountParams, body: DeleteContactsBody,
      description: 'Give `ids` and/or `msisdns` (every contact holding the number), or `"all": true` for every contact of the account (fixed when the job is accepted).',
      response: { ...accepted('Accepted: the job is queued.'), ...errors() },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof DeleteContactsBody>;
    if (!body.all && (body.ids ?? []).length === 0 && (body.msisdns ?? []).length === 0) throw invalidField('ids', 'give ids, msisdns, or "all": true');
    // Numbers are international here (no country to read a national one in).
    if ((body.msisdns ?? []).some((m) => !MSISDN.test(m))) throw new EightByEightError(400, CODE.invalidMsisdn, MSISDN_MESSAGE);
    const phones = (body.msisdns ?? []).map((m) => msisdnToE164(m, undefined));
    reply.status(202);
    return submit(request, body.all ? { kind: 'delete_contacts', all: true } : { kind: 'delete_contacts', seqs: body.ids ?? [], phones });
  });

  for (const [name, kind, summary] of [['copyContacts', 'copy_group_members', 'Copy contacts between groups (8x8)'], ['moveContacts', 'move_group_members', 'Move contacts between groups (8x8)']] as const) {
    scope.post(`${ACCOUNT}/groups/batches/${name}`, {
      config: routeConfig('contacts:write', [202, 400]),
      schema: {
        tags, security, summary, params: AccountParams, querystring: GroupPairQuery,
        description: kind === 'copy_group_members' ? 'Adds the members of group `from` (as they are when the job is accepted) to group `to`.' : 'Adds the members of group `from` to group `to` and takes them out of `from`.',
        response: { ...accepted('Accepted: the job is queued.'), ...errors() },
      },
    }, async (request, reply) => {
      const query = request.query as Static<typeof GroupPairQuery>;
      const [fromGroupId, toGroupId] = [await groupIdOf(request.principal, query.from), await groupIdOf(request.principal, query.to)];
      reply.status(202);
      return submit(request, { kind, fromGroupId, toGroupId });
    });
  }

  scope.post(`${ACCOUNT}/groups/batches/deleteGroups`, {
    config: routeConfig('contacts:write', [202, 400]),
    schema: {
      tags, security, summary: 'Batch delete groups (8x8)', params: AccountParams, body: DeleteGroupsBody,
      description: 'Deletes each group; with `deleteContacts: true` its contacts too. An unknown id is a failed item.',
      response: { ...accepted('Accepted: the job is queued.'), ...errors() },
    },
  }, async (request, reply) => {
    const body = request.body as Static<typeof DeleteGroupsBody>;
    reply.status(202);
    return submit(request, { kind: 'delete_groups', groupSeqs: [...new Set(body.ids)], deleteContacts: body.deleteContacts });
  });

  scope.get(`${ACCOUNT}/batches/:batchId`, {
    config: routeConfig('contacts:read', [200, 404]),
    schema: {
      tags, security, summary: 'Get batch information by id (8x8)', params: BatchParams,
      description: 'Status (queued, inProgress, completed, failed; stopped: stopped by an operator, `contactd batch stop`; timeout: no item done within BATCH_JOB_TIMEOUT_SECONDS), counters, and `results`: one entry per item done so far, with the contact (or group) id or the error.',
      response: { 200: { ...BatchJob, description: 'The job.' }, ...errors(404) },
    },
  }, async (request) => {
    const { batchId } = request.params as Static<typeof BatchParams>;
    const invalid = new EightByEightError(404, CODE.invalidJobId, 'Invalid jobId');
    if (!UUID.test(batchId)) throw invalid;
    const job = await batchJobs.get(request.principal, batchId.toLowerCase()).catch((error: unknown) => {
      throw isItemFailure(error) ? invalid : error;
    });
    return toWireJob(job, await batchJobs.results(request.principal, job.id), (code, message) => ({ code: codeOf(code), message: messageOf(code, message) }));
  });

  scope.get(`${ACCOUNT}/batches`, {
    config: routeConfig('contacts:read', [200, 400]),
    schema: {
      tags, security, summary: 'Get batch job list (8x8)', params: AccountParams, querystring: BatchListQuery,
      description: 'The account\'s jobs, newest first, with their counters (results: GET batches/{batchId}). Pages: `limit` and `offset`, the page index from 0.',
      response: { 200: { ...BatchList, description: 'One page of jobs.' }, ...errors() },
    },
  }, async (request) => {
    const query = request.query as Static<typeof BatchListQuery>;
    const { limit, offset, index } = pageOf(query);
    const kind = query.type === undefined ? undefined : CORE_KIND[query.type];
    const [found, all] = await Promise.all([
      batchJobs.list(request.principal, kind ? { kind } : {}, { limit, offset }),
      batchJobs.list(request.principal, {}, { limit: 1, offset: 0 }),
    ]);
    return { items: found.items.map((job) => toWireJob(job)), ...pageFields(index, limit, found.total, all.total) };
  });
}
