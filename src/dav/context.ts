import type { FastifyRequest } from 'fastify';
import type { CardEntry } from '../core/cards/card.types.ts';
import type { Services } from '../core/services.ts';
import type { Principal } from '../core/types.ts';
import type { CardsContext } from './cards.ts';

/** One request's view of the account, with what several answers share read once. */
export class DavRequest {
  private cards?: Promise<CardsContext>;
  private position?: Promise<number>;

  constructor(readonly services: Services, readonly principal: Principal, private readonly defaultRegion: string) {}

  static of(request: FastifyRequest, services: Services, defaultRegion: string): DavRequest {
    return new DavRequest(services, request.principal, defaultRegion);
  }

  get canWrite(): boolean {
    return this.principal.scopes.includes('contacts:write') || this.principal.scopes.includes('admin');
  }

  cardsContext(): Promise<CardsContext> {
    this.cards ??= this.services.cards.context(this.principal).then((c) => ({ ...c, defaultRegion: this.defaultRegion }));
    return this.cards;
  }

  /** What rendering these few cards needs (a GET's one card): read for them, not for the account. */
  async cardsContextFor(entries: CardEntry[]): Promise<CardsContext> {
    if (this.cards) return this.cards;
    return { ...(await this.services.cards.contextFor(this.principal, entries)), defaultRegion: this.defaultRegion };
  }

  /** The journal's position now: every book's sync token and ctag in this answer. */
  syncPosition(): Promise<number> {
    this.position ??= this.services.cards.position(this.principal);
    return this.position;
  }
}
