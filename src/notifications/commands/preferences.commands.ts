import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import {
  effectiveSettings,
  type AlertSettings,
  type StoredAlertSettings,
} from '../alerts/alert-settings';
import { LowBalanceLines } from '../profile/low-balance-lines';
import { PreferencesRepository, type Profile } from '../profile/preferences.repository';

/** PUT /v1/accounts/{id}/alerts: a field left out is the configured default. */
export type AlertSettingsAnswer = {
  accountId: string;
  lowBalance: number[];
  percentOfLastTopUp: number[];
  expiringDays: number;
};

export class SetAlertSettings extends Command<AlertSettingsAnswer> {
  constructor(
    readonly accountId: string,
    readonly settings: StoredAlertSettings,
  ) {
    super();
  }
}

/** PUT /v1/accounts/{id}/profile: a field left out is cleared. */
export class SetProfile extends Command<Profile & { accountId: string }> {
  constructor(
    readonly accountId: string,
    readonly profile: Profile,
  ) {
    super();
  }
}

/**
 * The Stripe customer's email from a completed checkout: the account's contact while its profile
 * has no email. Sent by the payments feature before it credits the purchase, so the receipt of that
 * purchase already has an address.
 */
export class RecordCheckoutEmail extends Command<void> {
  constructor(
    readonly accountId: string,
    readonly email: string,
  ) {
    super();
  }
}

@CommandHandler(SetAlertSettings)
export class SetAlertSettingsHandler implements ICommandHandler<SetAlertSettings> {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly lines: LowBalanceLines,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId, settings }: SetAlertSettings): Promise<AlertSettingsAnswer> {
    const { expiringNoticeDays } = this.config.notifications;
    await this.preferences.saveAlertSettings(
      accountId,
      settings,
      this.clock.now(),
      expiringNoticeDays,
    );
    this.lines.forget(accountId);
    const effective: AlertSettings = effectiveSettings(settings, {
      lowBalanceThreshold: this.config.lowBalanceThreshold,
      expiringNoticeDays,
    });
    return {
      accountId,
      lowBalance: [...effective.lowBalance],
      percentOfLastTopUp: [...effective.percentOfLastTopUp],
      expiringDays: effective.expiringDays,
    };
  }
}

@CommandHandler(SetProfile)
export class SetProfileHandler implements ICommandHandler<SetProfile> {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId, profile }: SetProfile) {
    await this.preferences.saveProfile(accountId, profile, this.clock.now());
    return { accountId, ...profile };
  }
}

@CommandHandler(RecordCheckoutEmail)
export class RecordCheckoutEmailHandler implements ICommandHandler<RecordCheckoutEmail, void> {
  constructor(
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
  ) {}

  execute({ accountId, email }: RecordCheckoutEmail): Promise<void> {
    return this.preferences.saveStripeEmail(accountId, email, this.clock.now());
  }
}
