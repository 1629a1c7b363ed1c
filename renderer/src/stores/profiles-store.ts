/** Connection profiles in the user's order. */
import { create } from 'zustand';
import type { Profile } from '../../../shared/profile';

interface ProfilesState {
  profiles: Profile[];
  loaded: boolean;
  setAll(profiles: Profile[]): void;
  upsert(profile: Profile): void;
  remove(id: string): void;
}

const initial = { profiles: [] as Profile[], loaded: false };

export const useProfilesStore = create<ProfilesState>()((set) => ({
  ...initial,
  setAll: (profiles) => set({ profiles, loaded: true }),
  upsert: (profile) =>
    set((s) => {
      const i = s.profiles.findIndex((p) => p.id === profile.id);
      if (i < 0) return { profiles: [...s.profiles, profile] };
      const profiles = s.profiles.slice();
      profiles[i] = profile;
      return { profiles };
    }),
  remove: (id) => set((s) => ({ profiles: s.profiles.filter((p) => p.id !== id) })),
}));

export const resetProfilesStore = (): void => useProfilesStore.setState(initial);

export const selectProfiles = (s: ProfilesState): Profile[] => s.profiles;
export const selectProfile =
  (id: string | null) =>
  (s: ProfilesState): Profile | undefined =>
    id ? s.profiles.find((p) => p.id === id) : undefined;

/** New order after moving `id` by `delta` places; unchanged when it cannot move. */
export function movedOrder(profiles: readonly Profile[], id: string, delta: number): string[] {
  const ids = profiles.map((p) => p.id);
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return ids;
  ids.splice(from, 1);
  ids.splice(to, 0, id);
  return ids;
}
