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
      if (!node.subs.has(sub.clientId)) this.count++;
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
      removed = node.subs?.delete(sub.clientId) ?? false;
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
    const levels = topic.split('/');
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
    if (node.subs) for (const sub of node.subs.values()) visitor.plain(sub);
    if (node.shared) for (const [group, members] of node.shared) visitor.shared(group, members);
  }
}
