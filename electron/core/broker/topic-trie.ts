/**
 * Subscription index: one trie node per topic level. Plain subscriptions are
 * keyed by client id at their node, shared ones by group then client id.
 * Matching walks only the levels of the published topic, so routing cost does
 * not grow with the number of unrelated subscriptions.
 */
import type { Subscription } from './types';

class TrieNode {
  children: Map<string, TrieNode> | null = null;
  subs: Map<string, Subscription> | null = null;
  /** The plain subscriptions again, as an array: matching walks it without an iterator per message. */
  subList: Subscription[] | null = null;
  shared: Map<string, Map<string, Subscription>> | null = null;

  isEmpty(): boolean {
    return !this.children?.size && !this.subs?.size && !this.shared?.size;
  }
}

export interface MatchVisitor {
  plain(sub: Subscription): void;
  /** One call per (group, filter) node; the router picks one member. */
  shared(groupKey: string, members: Map<string, Subscription>): void;
}

export class TopicTrie {
  private root = new TrieNode();
  private count = 0;
  /** The last matched topic's levels: a publisher repeating its topic is not split again. */
  private lastTopic = '';
  private lastLevels: string[] = [''];

  get size(): number {
    return this.count;
  }

  add(sub: Subscription): void {
    let node = this.root;
    for (const level of sub.topicFilter.split('/')) {
      if (!node.children) node.children = new Map();
      let next = node.children.get(level);
      if (!next) {
        next = new TrieNode();
        node.children.set(level, next);
      }
      node = next;
    }
    if (sub.share === null) {
      if (!node.subs) node.subs = new Map();
      const list = (node.subList ??= []);
      const prev = node.subs.get(sub.clientId);
      if (prev === undefined) {
        this.count++;
        list.push(sub);
      } else list[list.indexOf(prev)] = sub;
      node.subs.set(sub.clientId, sub);
    } else {
      if (!node.shared) node.shared = new Map();
      let group = node.shared.get(sub.share);
      if (!group) {
        group = new Map();
        node.shared.set(sub.share, group);
      }
      if (!group.has(sub.clientId)) this.count++;
      group.set(sub.clientId, sub);
    }
  }

  remove(sub: Pick<Subscription, 'topicFilter' | 'share' | 'clientId'>): boolean {
    const levels = sub.topicFilter.split('/');
    const path: TrieNode[] = [this.root];
    let node = this.root;
    for (const level of levels) {
      const next = node.children?.get(level);
      if (!next) return false;
      node = next;
      path.push(node);
    }
    let removed = false;
    if (sub.share === null) {
      const prev = node.subs?.get(sub.clientId);
      if (prev !== undefined) {
        node.subs!.delete(sub.clientId);
        const list = node.subList!;
        const i = list.indexOf(prev);
        list[i] = list[list.length - 1];
        list.pop();
        removed = true;
      }
    } else {
      const group = node.shared?.get(sub.share);
      if (group) {
        removed = group.delete(sub.clientId);
        if (group.size === 0) node.shared!.delete(sub.share);
      }
    }
    if (removed) this.count--;
    // Prune empty nodes so a churn of unique filters does not leak memory.
    for (let i = levels.length; i > 0; i--) {
      if (!path[i].isEmpty()) break;
      path[i - 1].children!.delete(levels[i - 1]);
    }
    return removed;
  }

  match(topic: string, visitor: MatchVisitor): void {
    let levels = this.lastLevels;
    if (topic !== this.lastTopic) {
      levels = this.lastLevels = topic.split('/');
      this.lastTopic = topic;
    }
    // `$` topics are not matched by filters starting with a wildcard (MQTT 4.7.2).
    this.walk(this.root, levels, 0, visitor, topic.charCodeAt(0) === 36);
  }

  private walk(node: TrieNode, levels: string[], i: number, visitor: MatchVisitor, dollar: boolean): void {
    const children = node.children;
    if (i === levels.length) {
      this.visit(node, visitor);
      // "a/#" also matches "a" (the parent level).
      const hash = children?.get('#');
      if (hash) this.visit(hash, visitor);
      return;
    }
    if (!children) return;
    const skipWild = dollar && i === 0;
    if (!skipWild) {
      const hash = children.get('#');
      if (hash) this.visit(hash, visitor);
      const plus = children.get('+');
      if (plus) this.walk(plus, levels, i + 1, visitor, dollar);
    }
    const exact = children.get(levels[i]);
    if (exact) this.walk(exact, levels, i + 1, visitor, dollar);
  }

  private visit(node: TrieNode, visitor: MatchVisitor): void {
    const list = node.subList;
    if (list !== null) for (let i = 0; i < list.length; i++) visitor.plain(list[i]);
    if (node.shared) for (const [group, members] of node.shared) visitor.shared(group, members);
  }
}
